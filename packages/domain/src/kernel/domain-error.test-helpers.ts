import { expect } from 'chai';
import { DomainError, type DomainErrorCode } from './domain-error';

/** Asserts that `action` throws a DomainError with `code`, and returns it for further checks. */
export function expectDomainError(action: () => unknown, code: DomainErrorCode): DomainError {
  try {
    action();
  } catch (error) {
    expect(error, 'a DomainError').to.be.instanceOf(DomainError);
    expect((error as DomainError).code).to.equal(code);
    return error as DomainError;
  }
  expect.fail(`expected a DomainError ${code}, but nothing was thrown`);
}

/** The same for a promise. */
export async function expectDomainRejection(promise: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error, 'a DomainError').to.be.instanceOf(DomainError);
    expect((error as DomainError).code).to.equal(code);
    return error as DomainError;
  }
  expect.fail(`expected a DomainError ${code}, but the promise resolved`);
}
