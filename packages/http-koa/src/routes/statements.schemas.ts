import { MAX_STATEMENT_RANGE_DAYS } from '@banca/domain/ports';
import { UUID_SCHEMA } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import { AMOUNT_SCHEMA as AMOUNT, DATE_SCHEMA as DATE, DIMENSION_SCHEMA as DIMENSION, INSTANT_SCHEMA as INSTANT, PAGE_QUERY_PROPERTIES, pageSchema } from '../routing/value-schemas';

export const STATEMENTS_QUERY: JsonSchema = {
  type: 'object',
  required: ['dimension', 'entityId', 'from', 'to'],
  additionalProperties: false,
  properties: {
    dimension: DIMENSION,
    entityId: { ...UUID_SCHEMA, description: 'The vendedor, ventana or banca, of that dimension' },
    from: { ...DATE, description: 'First CR date of the range, included' },
    to: { ...DATE, description: `Last CR date of the range, included: at most ${MAX_STATEMENT_RANGE_DAYS} days from \`from\` counting both` },
    ...PAGE_QUERY_PROPERTIES,
  },
};

const STATEMENT_LINK: JsonSchema = {
  type: 'object',
  required: [
    'date', 'ticketCount', 'totalSales', 'totalPayouts', 'totalCommissions', 'balance', 'totalPaid', 'totalCollected', 'remainingBalance',
    'settled', 'settledAt', 'settledBy', 'chain', 'expectedRemaining',
  ],
  additionalProperties: false,
  properties: {
    date: DATE,
    ticketCount: { type: 'integer', minimum: 0 },
    totalSales: AMOUNT,
    totalPayouts: AMOUNT,
    totalCommissions: AMOUNT,
    balance: AMOUNT,
    totalPaid: AMOUNT,
    totalCollected: AMOUNT,
    remainingBalance: AMOUNT,
    settled: { type: 'boolean' },
    settledAt: { anyOf: [INSTANT, { type: 'null' }] },
    settledBy: { type: ['string', 'null'] },
    chain: {
      enum: ['chained', 'broken', 'provisional'],
      description: 'chained: follows from the statement before; broken: the chain rule binds it and it does not follow; provisional: unsettled with activity, the sales side\'s figure until settled',
    },
    expectedRemaining: { ...AMOUNT, description: 'remaining(previous statement, else 0) + balance − collected + paid' },
  },
};

export const STATEMENTS_PAGE: JsonSchema = pageSchema(STATEMENT_LINK, {
  dimension: DIMENSION,
  entityId: UUID_SCHEMA,
  entityName: { type: 'string' },
  from: DATE,
  to: DATE,
});
