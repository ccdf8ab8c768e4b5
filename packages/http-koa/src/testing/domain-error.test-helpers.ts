import { isDomainError } from '@banca/domain';

/** The code of the DomainError `validate` throws; fails when it accepts the input or throws anything else. */
export function domainCodeOf(validate: () => unknown): string {
  try {
    validate();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error('the domain accepted it');
}
