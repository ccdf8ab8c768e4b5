import { CLOSING_TOTAL_FIELDS, DISCREPANCY_KINDS } from '@banca/domain';
import { DEFAULT_RECONCILIATION_LIMIT, MAX_RECONCILIATION_LIMIT } from '@banca/domain/ports';
import { UUID_SCHEMA } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import { AMOUNT_SCHEMA as AMOUNT, DATE_SCHEMA as DATE, DIMENSION_SCHEMA as DIMENSION, MONTH_SCHEMA as MONTH } from '../routing/value-schemas';

export const RECONCILIATION_QUERY: JsonSchema = {
  type: 'object',
  required: ['month'],
  additionalProperties: false,
  properties: {
    month: { ...MONTH, description: 'The CR month, YYYY-MM' },
    dimension: { ...DIMENSION, description: 'Only this dimension' },
    entityId: { ...UUID_SCHEMA, description: 'Only this entity (with its dimension)' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_RECONCILIATION_LIMIT, description: `Discrepancies returned, default ${DEFAULT_RECONCILIATION_LIMIT}; the counts cover them all` },
  },
};

const ENTITY = {
  dimension: DIMENSION,
  entityId: UUID_SCHEMA,
  entityName: { type: ['string', 'null'] },
};

const discrepancy = (kind: string, figures: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: ['kind', ...Object.keys(ENTITY), ...Object.keys(figures)],
  additionalProperties: false,
  properties: { kind: { const: kind }, ...ENTITY, ...figures },
});

export const RECONCILIATION_REPORT: JsonSchema = {
  type: 'object',
  required: ['month', 'dimension', 'entityId', 'clean', 'counts', 'total', 'discrepancies', 'truncated'],
  additionalProperties: false,
  properties: {
    month: MONTH,
    dimension: { enum: ['vendedor', 'ventana', 'banca', null] },
    entityId: { type: ['string', 'null'] },
    clean: { type: 'boolean' },
    counts: {
      type: 'object',
      required: [...DISCREPANCY_KINDS],
      additionalProperties: false,
      properties: Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, { type: 'integer', minimum: 0 }])),
    },
    total: { type: 'integer', minimum: 0 },
    truncated: { type: 'boolean' },
    discrepancies: {
      type: 'array',
      items: {
        oneOf: [
          discrepancy('STATEMENT_CHAIN', {
            date: DATE, previousDate: { type: ['string', 'null'] }, previousRemaining: AMOUNT, expectedRemaining: AMOUNT, storedRemaining: AMOUNT,
          }),
          discrepancy('STATEMENT_MOVEMENTS', {
            date: DATE, settled: { type: 'boolean' }, storedPaid: AMOUNT, movementsPaid: AMOUNT, storedCollected: AMOUNT, movementsCollected: AMOUNT,
          }),
          discrepancy('CLOSING_OPENING', { month: MONTH, openingBalance: AMOUNT, previousRemaining: AMOUNT }),
          discrepancy('CLOSING_TOTALS', { month: MONTH, field: { enum: [...CLOSING_TOTAL_FIELDS] }, closing: AMOUNT, statements: AMOUNT }),
        ],
      },
    },
  },
};
