import { assertJobName, assertMonth, DomainError, type SettlementConfig, validateSettlementConfigUpdate } from '@banca/domain';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import type { AdminJobRunResult, AdminJobView, AdminOperations } from './admin.port';
import { toRunView } from './runs.routes';
import { ACCEPTED_RUN } from './runs.schemas';
import {
  DEFAULT_DLQ_REPLAY_LIMIT,
  JOB_LIST,
  JOB_NAME_PARAMS,
  JOB_RUN_RESULT,
  QUEUE_DEPTHS,
  REPLAY_DLQ_BODY,
  REPLAY_DLQ_RESULT,
  SETTLEMENT_CONFIG,
  TRIGGER_JOB_BODY,
  UPDATE_SETTLEMENT_CONFIG_BODY,
} from './admin.schemas';

const JOBS_TAGS = ['admin: jobs'];
const SETTLEMENT_TAGS = ['admin: settlement'];
const ALLOWANCE_TAGS = ['admin: allowance'];

/** The month option belongs to this job only (docs/architecture.md, Running the jobs: `runJob(name, { userId?, month? })`). */
const MONTH_JOB = 'monthly-closing';

/**
 * The admin API (docs/architecture.md, HTTP), role `admin`; the acting user is the token's subject. Input is checked
 * here with the domain's validators before an operation is called, so a refused request changes
 * nothing; the operations refuse what only they can know (a run in progress).
 */
export function adminRoutes(operations: AdminOperations): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/jobs',
      operationId: 'listJobs',
      summary: 'Every job with its UTC rule, CR time, next run and last recorded run',
      tags: JOBS_TAGS,
      auth: 'admin',
      responses: { 200: { description: 'Every job of the jobs table', schema: JOB_LIST } },
      handler: async () => ({ status: 200, body: { jobs: (await operations.listJobs()).map(toJobView) } }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/jobs/:name/trigger',
      operationId: 'triggerJob',
      summary: 'Run a job now',
      description:
        'Runs the job as the scheduler would, recorded in cron_runs with the caller as its user. The answer is 200 whenever the job ran, ' +
        'whatever its outcome: `status` FAILED with `error { errorType, errorCode, message }` is a run that failed, not a refused request; ' +
        'SKIPPED carries its `reason`. `month` (YYYY-MM) applies to monthly-closing only. With `wait: false` the answer is 202 as soon as ' +
        'the run is recorded, with its `runId` and a `Location` to follow it at (`GET /admin/runs/{runId}`, RUNNING until it ends).',
      tags: JOBS_TAGS,
      auth: 'admin',
      params: JOB_NAME_PARAMS,
      body: TRIGGER_JOB_BODY,
      bodyOptional: true,
      responses: {
        200: { description: 'The run, whatever its outcome (SUCCESS, SKIPPED or FAILED)', schema: JOB_RUN_RESULT },
        202: { description: 'With `wait: false`: the run is recorded and going on', schema: ACCEPTED_RUN },
        400: errorResponse('A bad month (TIME.INVALID_MONTH), a month for a job other than monthly-closing (JOB.INVALID_OPTIONS), or invalid input'),
        404: errorResponse('No such job (JOB.UNKNOWN)'),
        409: errorResponse('A run of the job is in progress (JOB.ALREADY_RUNNING)'),
      },
      handler: async ({ params, body, auth }) => {
        const job = assertJobName(params['name']!);
        const { month, wait = true } = (body ?? {}) as { month?: string; wait?: boolean };
        if (month !== undefined) {
          assertMonth(month);
          if (job !== MONTH_JOB) throw new DomainError('JOB.INVALID_OPTIONS', `month applies to ${MONTH_JOB} only, not to ${job}`, { job, month });
        }
        const result = await operations.triggerJob(job, { ...(month === undefined ? {} : { month }), userId: auth.sub, wait });
        if ('accepted' in result) {
          const location = `/admin/runs/${result.runId}`;
          return { status: 202, body: { job: result.job, runId: result.runId, status: result.status, location }, headers: { Location: location } };
        }
        return { status: 200, body: toJobRunView(result) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/settlement-config',
      operationId: 'getSettlementConfig',
      summary: 'The settlement configuration',
      tags: SETTLEMENT_TAGS,
      auth: 'admin',
      responses: { 200: { description: 'The configuration', schema: SETTLEMENT_CONFIG } },
      handler: async () => ({ status: 200, body: toSettlementConfigView(await operations.getSettlementConfig()) }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/admin/settlement-config',
      operationId: 'updateSettlementConfig',
      summary: 'Change the settlement configuration',
      description:
        'Only the fields given change; the change takes effect without a restart. An invalid value is refused and nothing is saved: ' +
        'SCHEDULE.INVALID_CRON for a bad cron rule (the job keeps its last valid schedule), SETTLEMENT.INVALID_CONFIG for anything else.',
      tags: SETTLEMENT_TAGS,
      auth: 'admin',
      body: UPDATE_SETTLEMENT_CONFIG_BODY,
      responses: {
        200: { description: 'The configuration after the change', schema: SETTLEMENT_CONFIG },
        400: errorResponse('An invalid field (SETTLEMENT.INVALID_CONFIG) or cron rule (SCHEDULE.INVALID_CRON); nothing saved'),
      },
      handler: async ({ body, auth }) => {
        const patch = validateSettlementConfigUpdate(body);
        return { status: 200, body: toSettlementConfigView(await operations.updateSettlementConfig(patch, auth.sub)) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/allowance/dlq',
      operationId: 'getAllowanceQueueDepths',
      summary: 'Depths of the allowance queue, its retry queue and its dead-letter queue',
      tags: ALLOWANCE_TAGS,
      auth: 'admin',
      responses: { 200: { description: 'Message counts', schema: QUEUE_DEPTHS } },
      handler: async () => {
        const { ready, retrying, deadLettered } = await operations.allowanceQueueDepths();
        return { status: 200, body: { ready, retrying, deadLettered } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/allowance/dlq/replay',
      operationId: 'replayAllowanceDlq',
      summary: 'Replay the oldest open dead letters (POST /admin/dead-letters/replay with all, bounded by limit)',
      description:
        `Up to \`limit\` open dead letters (default ${DEFAULT_DLQ_REPLAY_LIMIT}), oldest first, of those recorded when the replay began: ` +
        'a replayed run that fails again is a new dead letter for the next replay. A replayed run is credited at most once.',
      tags: ALLOWANCE_TAGS,
      auth: 'admin',
      body: REPLAY_DLQ_BODY,
      bodyOptional: true,
      responses: {
        200: { description: 'How many dead letters were replayed', schema: REPLAY_DLQ_RESULT },
        503: errorResponse('The broker did not confirm (ALLOWANCE.QUEUE_UNAVAILABLE); the unconfirmed dead letters stay open'),
      },
      handler: async ({ body, auth }) => {
        const limit = (body as { limit?: number } | undefined)?.limit ?? DEFAULT_DLQ_REPLAY_LIMIT;
        const { replayed } = await operations.replayAllowanceDlq({ limit, userId: auth.sub });
        return { status: 200, body: { replayed } };
      },
    }),
  ];
}

// The views copy the documented fields only, so what an implementation adds never leaks into the API.

function toJobView(job: AdminJobView) {
  return {
    name: job.name,
    cron: job.cron,
    crTime: job.crTime,
    description: job.description,
    nextRun: job.nextRun,
    lastRun: job.lastRun === null ? null : toRunView(job.lastRun),
  };
}

function toJobRunView(result: AdminJobRunResult): AdminJobRunResult {
  return {
    status: result.status,
    job: result.job,
    runId: result.runId,
    ...(result.summary === undefined ? {} : { summary: result.summary }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.error === undefined
      ? {}
      : { error: { errorType: result.error.errorType, errorCode: result.error.errorCode, message: result.error.message } }),
  };
}

function toSettlementConfigView(config: SettlementConfig): SettlementConfig {
  return { enabled: config.enabled, settlementAgeDays: config.settlementAgeDays, batchSize: config.batchSize, cronSchedule: config.cronSchedule };
}
