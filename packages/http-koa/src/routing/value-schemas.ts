import { ACCOUNT_DIMENSIONS } from '@banca/domain';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@banca/domain/ports';
import type { JsonSchema } from './route-spec';

// The schemas of values every read route shares, so a month or an amount is described and refused the
// same way everywhere.

/** A CR month, `YYYY-MM` from year 0001. */
export const MONTH_SCHEMA: JsonSchema = { type: 'string', pattern: '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$', 'x-error-code': 'TIME.INVALID_MONTH', examples: ['2025-02'] };

/** A CR calendar day, `YYYY-MM-DD`. */
export const DATE_SCHEMA: JsonSchema = { type: 'string', format: 'date', 'x-error-code': 'TIME.INVALID_DATE', examples: ['2025-02-28'] };

/** An instant as the API writes it (ISO 8601, UTC). */
export const INSTANT_SCHEMA: JsonSchema = { type: 'string', format: 'date-time' };

/** An instant as a filter takes it: ISO 8601 with a zone (`Z` or an offset such as `-06:00`). */
export const INSTANT_FILTER_SCHEMA: JsonSchema = { type: 'string', format: 'date-time', 'x-error-code': 'TIME.INVALID_INSTANT', examples: ['2025-02-01T00:00:00-06:00'] };

/** Money as the API writes it: a decimal string with two decimals, in colones. */
export const AMOUNT_SCHEMA: JsonSchema = { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{2}$', examples: ['1500.30'] };

export const DIMENSION_SCHEMA: JsonSchema = { type: 'string', enum: [...ACCOUNT_DIMENSIONS] };

/** The query parameters of a cursor-paged list. */
export const PAGE_QUERY_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, description: `Rows per page, 1 to ${MAX_PAGE_LIMIT}; default ${DEFAULT_PAGE_LIMIT}` },
  cursor: { type: 'string', minLength: 1, maxLength: 2048, description: 'The `nextCursor` of the previous page' },
};

/** A page of `items`: `nextCursor` asks for the next one, null on the last. */
export function pageSchema(item: JsonSchema, extra: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'nextCursor', ...Object.keys(extra)],
    additionalProperties: false,
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] }, ...extra },
  };
}
