import { JOB_NAMES, MAX_SETTLEMENT_AGE_DAYS } from '@banca/domain';
import type { JsonSchema } from '../routing/route-spec';
import { INSTANT_SCHEMA as INSTANT, MONTH_SCHEMA as MONTH } from '../routing/value-schemas';
import { RUN_ID_SCHEMA, RUN_VIEW } from './runs.schemas';

// As with the allowance API, the domain validators run after these schemas and stay the authority
// (validateSettlementConfigUpdate, assertMonth, assertJobName); the schemas refuse the shape early
// with the same codes and document it.

export const DEFAULT_DLQ_REPLAY_LIMIT = 100;
export const MAX_DLQ_REPLAY_LIMIT = 10_000;

const RUN_STATUS: JsonSchema = { enum: ['SUCCESS', 'FAILED', 'SKIPPED'] };
const COUNT: JsonSchema = { type: 'integer', minimum: 0 };

export const JOB_NAME_PARAMS: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      // Not an enum: an unknown job is a 404 JOB.UNKNOWN, which a schema failure (400) could not say.
      description: `One of ${JOB_NAMES.join(', ')}`,
      examples: ['monthly-closing'],
    },
  },
};

export const TRIGGER_JOB_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    month: { ...MONTH, description: 'The CR month to close, YYYY-MM from year 0001 (monthly-closing only; default the previous CR month)' },
    wait: { type: 'boolean', description: 'false: answer 202 with the run id as soon as the run is recorded, and let it go on (default true: answer when it ends)' },
  },
};

const JOB_VIEW: JsonSchema = {
  type: 'object',
  required: ['name', 'cron', 'crTime', 'description', 'nextRun', 'lastRun'],
  additionalProperties: false,
  properties: {
    name: { enum: [...JOB_NAMES] },
    cron: { type: 'string', description: 'UTC cron rule', examples: ['0 3 * * *'] },
    crTime: { type: 'string', description: 'Costa Rica local time of the rule', examples: ['21:00'] },
    description: { type: 'string' },
    nextRun: { anyOf: [INSTANT, { type: 'null' }] },
    lastRun: { anyOf: [RUN_VIEW, { type: 'null' }], description: 'The latest run of the job (RUNNING while one is in progress)' },
  },
};

export const JOB_LIST: JsonSchema = {
  type: 'object',
  required: ['jobs'],
  additionalProperties: false,
  properties: { jobs: { type: 'array', items: JOB_VIEW } },
};

export const JOB_RUN_RESULT: JsonSchema = {
  type: 'object',
  required: ['status', 'job', 'runId'],
  additionalProperties: false,
  properties: {
    status: RUN_STATUS,
    job: { type: 'string' },
    runId: { anyOf: [RUN_ID_SCHEMA, { type: 'null' }], description: 'The run in the history (GET /admin/runs/{runId}); null when it could not be recorded' },
    summary: { type: 'object', description: 'The counts the job reports (SUCCESS, and SKIPPED when the job chose not to act)' },
    reason: { type: 'string', description: 'Why the run was SKIPPED' },
    error: {
      type: 'object',
      required: ['errorType', 'errorCode', 'message'],
      additionalProperties: false,
      description: 'Why the run FAILED',
      properties: {
        errorType: { type: 'string', examples: ['DB_UNREACHABLE'] },
        errorCode: { type: ['string', 'null'] },
        message: { type: 'string' },
      },
    },
  },
};

export const SETTLEMENT_CONFIG: JsonSchema = {
  type: 'object',
  required: ['enabled', 'settlementAgeDays', 'batchSize', 'cronSchedule'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    settlementAgeDays: { type: 'integer', minimum: 0 },
    batchSize: { type: 'integer', minimum: 1, description: 'As stored; a run clamps it to 1..2000' },
    cronSchedule: { type: 'string', description: 'UTC cron rule of the settlement job', examples: ['0 3 * * *'] },
  },
};

export const UPDATE_SETTLEMENT_CONFIG_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  'x-error-code': 'SETTLEMENT.INVALID_CONFIG',
  properties: {
    enabled: { type: 'boolean' },
    settlementAgeDays: { type: 'integer', minimum: 0, maximum: MAX_SETTLEMENT_AGE_DAYS },
    batchSize: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Over 2000 is kept and clamped when a run uses it' },
    cronSchedule: {
      type: 'string',
      description: 'UTC cron rule (five fields); an invalid rule is refused with SCHEDULE.INVALID_CRON and the job keeps its last valid one',
      examples: ['0 3 * * *'],
    },
  },
};

export const QUEUE_DEPTHS: JsonSchema = {
  type: 'object',
  required: ['ready', 'retrying', 'deadLettered'],
  additionalProperties: false,
  properties: {
    ready: { ...COUNT, description: 'Messages waiting in allowance.schedule' },
    retrying: { ...COUNT, description: 'Messages waiting out their delay in allowance.schedule.retry' },
    deadLettered: { ...COUNT, description: 'Messages in allowance.schedule.dlq not yet recorded as dead letters (GET /admin/dead-letters lists those recorded)' },
  },
};

export const REPLAY_DLQ_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_DLQ_REPLAY_LIMIT,
      description: `At most this many dead letters are replayed (default ${DEFAULT_DLQ_REPLAY_LIMIT})`,
    },
  },
};

export const REPLAY_DLQ_RESULT: JsonSchema = {
  type: 'object',
  required: ['replayed'],
  additionalProperties: false,
  properties: { replayed: COUNT },
};
