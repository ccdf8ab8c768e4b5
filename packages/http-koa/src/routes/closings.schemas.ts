import { CLOSING_SORTS, SORT_ORDERS } from '@banca/domain/ports';
import { UUID_SCHEMA } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import {
  AMOUNT_SCHEMA as AMOUNT,
  DIMENSION_SCHEMA as DIMENSION,
  INSTANT_SCHEMA as INSTANT,
  MONTH_SCHEMA as MONTH,
  PAGE_QUERY_PROPERTIES,
  pageSchema,
} from '../routing/value-schemas';

export const CLOSINGS_QUERY: JsonSchema = {
  type: 'object',
  required: ['month', 'dimension'],
  additionalProperties: false,
  properties: {
    month: { ...MONTH, description: 'The CR month, YYYY-MM' },
    dimension: { ...DIMENSION, description: 'vendedor, ventana or banca: one at a time, since a banca row already counts its ventanas and vendedores' },
    sort: { type: 'string', enum: [...CLOSING_SORTS], description: 'name (code point order, as stored), remainingBalance or entityId; name by default. The entity id breaks ties' },
    order: { type: 'string', enum: [...SORT_ORDERS], description: 'asc by default' },
    ...PAGE_QUERY_PROPERTIES,
  },
};

const MONTH_FIGURES: Record<string, JsonSchema> = {
  ticketCount: { type: 'integer', minimum: 0 },
  totalSales: AMOUNT,
  totalPayouts: AMOUNT,
  totalCommissions: AMOUNT,
  netBalance: AMOUNT,
  totalPaid: AMOUNT,
  totalCollected: AMOUNT,
  openingBalance: AMOUNT,
  remainingBalance: AMOUNT,
};

export const CLOSING_ROW: JsonSchema = {
  type: 'object',
  required: ['entityId', 'entityName', 'bancaId', ...Object.keys(MONTH_FIGURES), 'closedAt', 'closedBy'],
  additionalProperties: false,
  properties: {
    entityId: UUID_SCHEMA,
    entityName: { type: ['string', 'null'], description: 'Null when the entity is gone from the hierarchy' },
    bancaId: UUID_SCHEMA,
    ...MONTH_FIGURES,
    closedAt: INSTANT,
    closedBy: { type: ['string', 'null'] },
  },
};

const CLOSING_TOTALS: JsonSchema = {
  type: 'object',
  required: ['entities', ...Object.keys(MONTH_FIGURES)],
  additionalProperties: false,
  description: 'The sums of the whole month of the dimension, every page included',
  properties: { entities: { type: 'integer', minimum: 1 }, ...MONTH_FIGURES },
};

export const CLOSINGS_PAGE: JsonSchema = pageSchema(CLOSING_ROW, {
  month: MONTH,
  dimension: DIMENSION,
  sort: { enum: [...CLOSING_SORTS] },
  order: { enum: [...SORT_ORDERS] },
  totals: CLOSING_TOTALS,
});

/** The CSV columns, in order: the JSON row's fields, with the month and dimension on each line. */
export const CLOSINGS_CSV_COLUMNS = [
  'month', 'dimension', 'entityId', 'entityName', 'bancaId', 'ticketCount', 'totalSales', 'totalPayouts', 'totalCommissions',
  'netBalance', 'totalPaid', 'totalCollected', 'openingBalance', 'remainingBalance', 'closedAt', 'closedBy',
] as const;

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8; header=present';
