import { UUID_SCHEMA } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import { INSTANT_SCHEMA as INSTANT, PAGE_QUERY_PROPERTIES, pageSchema } from '../routing/value-schemas';
import { ALLOWANCE_SCHEDULE_VIEW } from './allowance.schemas';

export const ALLOWANCE_SEARCH_QUERY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Exactly one of guardianId and juniorId',
  properties: {
    guardianId: { ...UUID_SCHEMA, description: "The guardian's schedules (give this or juniorId)" },
    juniorId: { ...UUID_SCHEMA, description: "The junior's schedules (give this or guardianId)" },
    ...PAGE_QUERY_PROPERTIES,
  },
};

export const PAGE_QUERY: JsonSchema = { type: 'object', additionalProperties: false, properties: { ...PAGE_QUERY_PROPERTIES } };

const properties = ALLOWANCE_SCHEDULE_VIEW['properties'] as Record<string, JsonSchema>;
const ADMIN_SCHEDULE_VIEW: JsonSchema = {
  ...ALLOWANCE_SCHEDULE_VIEW,
  required: [...(ALLOWANCE_SCHEDULE_VIEW['required'] as string[]), 'deletedAt'],
  properties: { ...properties, deletedAt: { anyOf: [INSTANT, { type: 'null' }], description: 'When the guardian deleted it; its credits stay' } },
};

export const ADMIN_SCHEDULES_PAGE: JsonSchema = pageSchema(ADMIN_SCHEDULE_VIEW);

const CREDIT: JsonSchema = {
  type: 'object',
  required: ['runAt', 'amount', 'creditedAt', 'transactionId'],
  additionalProperties: false,
  properties: {
    runAt: { ...INSTANT, description: 'The occurrence paid' },
    amount: { type: 'string', format: 'money', examples: ['1500.00'] },
    creditedAt: INSTANT,
    transactionId: UUID_SCHEMA,
  },
};

export const CREDITS_PAGE: JsonSchema = pageSchema(CREDIT);
