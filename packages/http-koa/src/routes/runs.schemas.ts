import { JOB_NAMES } from '@banca/domain';
import { CRON_RUN_STATUSES, RUN_TRIGGERS } from '@banca/domain/ports';
import type { JsonSchema } from '../routing/route-spec';
import { INSTANT_FILTER_SCHEMA, INSTANT_SCHEMA as INSTANT, PAGE_QUERY_PROPERTIES, pageSchema } from '../routing/value-schemas';

export const RUN_STATUS_SCHEMA: JsonSchema = { type: 'string', enum: [...CRON_RUN_STATUSES] };

/** A run's key in `cron_runs`, decimal digits. */
export const RUN_ID_SCHEMA: JsonSchema = { type: 'string', pattern: '^[1-9][0-9]{0,17}$', examples: ['4711'] };

/** One run of the history. Rows recorded before the history kept them have trigger, triggeredBy and summary null. */
export const RUN_VIEW: JsonSchema = {
  type: 'object',
  required: ['id', 'job', 'status', 'trigger', 'triggeredBy', 'processedCount', 'errorMessage', 'summary', 'startedAt', 'finishedAt', 'durationMs'],
  additionalProperties: false,
  properties: {
    id: RUN_ID_SCHEMA,
    job: { type: 'string', examples: ['settlement'] },
    status: { ...RUN_STATUS_SCHEMA, description: 'RUNNING while the run holds its lock; its outcome once it ends' },
    trigger: { enum: [...RUN_TRIGGERS, null], description: 'schedule (the scheduler) or manual (CLI, admin API, runJob)' },
    triggeredBy: { type: ['string', 'null'], description: 'The user of a manual run; SYSTEM for the scheduler' },
    processedCount: { type: 'integer', minimum: 0 },
    errorMessage: { type: ['string', 'null'] },
    summary: {
      type: ['object', 'null'],
      description: 'What the run did: the completion payload of a SUCCESS, `{ job, errorType, errorCode, error }` of a FAILED run, `{ reason, … }` of a SKIPPED one; null while RUNNING',
    },
    startedAt: INSTANT,
    finishedAt: { anyOf: [INSTANT, { type: 'null' }], description: 'Null while RUNNING' },
    durationMs: { type: ['integer', 'null'], minimum: 0, description: 'Null while RUNNING' },
  },
};

export const RUNS_QUERY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    job: { type: 'string', enum: [...JOB_NAMES], description: 'Only this job' },
    status: { ...RUN_STATUS_SCHEMA, description: 'Only runs with this status' },
    trigger: { type: 'string', enum: [...RUN_TRIGGERS], description: 'Only scheduled or only manual runs' },
    from: { ...INSTANT_FILTER_SCHEMA, description: 'Runs started at or after this instant' },
    to: { ...INSTANT_FILTER_SCHEMA, description: 'Runs started before this instant' },
    ...PAGE_QUERY_PROPERTIES,
  },
};

export const RUN_PAGE = pageSchema(RUN_VIEW);

export const RUN_ID_PARAMS: JsonSchema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: RUN_ID_SCHEMA },
};

export const ACCEPTED_RUN: JsonSchema = {
  type: 'object',
  required: ['job', 'runId', 'status', 'location'],
  additionalProperties: false,
  properties: {
    job: { type: 'string' },
    runId: RUN_ID_SCHEMA,
    status: { ...RUN_STATUS_SCHEMA, description: 'As recorded when the answer was given: usually RUNNING' },
    location: { type: 'string', description: 'Where to follow the run: /admin/runs/{runId}', examples: ['/admin/runs/4711'] },
  },
};
