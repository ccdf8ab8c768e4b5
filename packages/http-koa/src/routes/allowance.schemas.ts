import { ALLOWANCE_FREQUENCIES, ALLOWANCE_STATUSES } from '@banca/domain';
import { UUID_SCHEMA } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import { INSTANT_SCHEMA as INSTANT } from '../routing/value-schemas';

// The domain parser runs after these schemas and stays the authority on meaning (a startAt in the
// past, zero, more than two decimals in a JSON number); the schemas refuse the shape early, with
// the same codes, and document it.

const AMOUNT: JsonSchema = {
  type: ['string', 'number'],
  format: 'money',
  exclusiveMinimum: 0,
  maximum: 99999999.99,
  description: 'Positive, at most two decimals, up to 99999999.99: a decimal string ("1500.00") or a JSON number',
  examples: ['1500.00'],
  'x-error-code': 'MONEY.INVALID_AMOUNT',
};

const FREQUENCY: JsonSchema = { enum: [...ALLOWANCE_FREQUENCIES], 'x-error-code': 'ALLOWANCE.INVALID_FREQUENCY' };
const STATUS: JsonSchema = { enum: [...ALLOWANCE_STATUSES], 'x-error-code': 'ALLOWANCE.INVALID_STATUS' };

const START_AT: JsonSchema = {
  type: 'string',
  format: 'date-time',
  description: 'Occurrence 0 (the first run): not in the past, at most one year ahead (ALLOWANCE.START_TOO_FAR); default now',
  examples: ['2025-03-01T08:00:00-06:00'],
  'x-error-code': 'TIME.INVALID_INSTANT',
};

export const CREATE_ALLOWANCE_BODY: JsonSchema = {
  type: 'object',
  required: ['amount', 'frequency', 'status'],
  additionalProperties: false,
  properties: { amount: AMOUNT, frequency: FREQUENCY, status: STATUS, startAt: START_AT },
};

export const UPDATE_ALLOWANCE_BODY: JsonSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { amount: AMOUNT, frequency: FREQUENCY, status: STATUS },
};


export const ALLOWANCE_SCHEDULE_VIEW: JsonSchema = {
  type: 'object',
  required: ['id', 'guardianId', 'juniorId', 'amount', 'frequency', 'status', 'nextRunAt', 'lastRunAt', 'lastFailedRunAt', 'lastFailureReason', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  properties: {
    id: UUID_SCHEMA,
    guardianId: UUID_SCHEMA,
    juniorId: UUID_SCHEMA,
    amount: { type: 'string', format: 'money', examples: ['1500.00'] },
    frequency: { enum: [...ALLOWANCE_FREQUENCIES] },
    status: { enum: [...ALLOWANCE_STATUSES] },
    nextRunAt: INSTANT,
    lastRunAt: { anyOf: [INSTANT, { type: 'null' }] },
    lastFailedRunAt: { anyOf: [INSTANT, { type: 'null' }], description: 'The latest run given up for good after its retries (never credited); null when none was' },
    lastFailureReason: { type: ['string', 'null'], description: 'Why that run was given up, as the worker recorded it', examples: ['ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 2500.00'] },
    createdAt: INSTANT,
    updatedAt: INSTANT,
  },
};

export const ALLOWANCE_SCHEDULE_LIST: JsonSchema = {
  type: 'object',
  required: ['schedules'],
  additionalProperties: false,
  properties: { schedules: { type: 'array', items: ALLOWANCE_SCHEDULE_VIEW } },
};
