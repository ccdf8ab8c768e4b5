import { assertCRDate, Money, parseIsoInstant } from '@banca/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const accepts = (parse: (value: string) => unknown) => (value: string): boolean => {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The string formats route schemas may use, each checked by the rule the domain applies, so the
 * schema never accepts what the domain refuses for the same reason (nor the reverse).
 */
export const SCHEMA_FORMATS = {
  uuid: { validate: (value: string) => UUID.test(value), reason: 'must be a UUID' },
  'date-time': {
    validate: accepts((value) => parseIsoInstant(value, 'value')),
    reason: 'must be an ISO-8601 instant with an offset, e.g. 2025-03-01T08:00:00-06:00',
  },
  date: { validate: accepts(assertCRDate), reason: 'must be an existing calendar date YYYY-MM-DD' },
  money: {
    validate: accepts((value) => Money.parse(value)),
    reason: 'must be a decimal amount with at most two decimals, e.g. "1500.00"',
  },
} as const satisfies Record<string, { validate: (value: string) => boolean; reason: string }>;

export type SchemaFormat = keyof typeof SCHEMA_FORMATS;
