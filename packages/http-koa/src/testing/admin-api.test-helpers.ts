import {
  applySettlementConfigUpdate,
  assertJobName,
  DEFAULT_SETTLEMENT_CONFIG,
  DomainError,
  JOB_NAMES,
  JOBS,
  type JobName,
  type SettlementConfig,
  validateSettlementConfigUpdate,
} from '@banca/domain';
import { type AllowanceQueueDepths, memoryLogger } from '@banca/domain/ports';
import { createHttpApp } from '../app';
import { signToken } from '../middleware/auth.middleware';
import type { AdminJobRunResult, AdminJobView, AdminOperations } from '../routes/admin.port';
import { adminRoutes } from '../routes/admin.routes';
import { metricsRoute } from '../routes/metrics.routes';
import { call, serve, type TestRequest } from './http-server.test-helpers';

export const ADMIN_AUTH_SECRET = 'admin-api-test-secret';
export const ADMIN_ID = 'ops-ana';

export interface RecordedCall {
  operation: keyof AdminOperations;
  args: unknown[];
}

/**
 * AdminOperations over plain state, recording every call: jobs that have not run yet, the default
 * settlement config, queues with a few messages. `running` makes a manual trigger meet a held lock,
 * `nextOutcome` decides what the next run reports.
 */
export function fakeAdminOperations() {
  const calls: RecordedCall[] = [];
  const running = new Set<JobName>();
  const lastRuns = new Map<JobName, NonNullable<AdminJobView['lastRun']>>();
  let config: SettlementConfig = { ...DEFAULT_SETTLEMENT_CONFIG };
  const depths: AllowanceQueueDepths = { ready: 2, retrying: 1, deadLettered: 150 };
  const state = {
    nextOutcome: (job: JobName): AdminJobRunResult => ({ status: 'SUCCESS', job, runId: '41', summary: { processed: 3 } }),
  };
  const record = (operation: keyof AdminOperations, ...args: unknown[]) => calls.push({ operation, args });

  const operations: AdminOperations = {
    listJobs: async () => {
      record('listJobs');
      return JOB_NAMES.map((name) => ({
        name,
        cron: name === 'settlement' ? config.cronSchedule : JOBS[name].cron,
        crTime: JOBS[name].crTime,
        description: JOBS[name].description,
        nextRun: name === 'settlement' && !config.enabled ? null : '2025-03-04T03:00:00.000Z',
        lastRun: lastRuns.get(name) ?? null,
      }));
    },
    triggerJob: async (name, options) => {
      record('triggerJob', name, options);
      const job = assertJobName(name);
      if (running.has(job)) throw new DomainError('JOB.ALREADY_RUNNING', `job ${job} is already running`, { job });
      const outcome = state.nextOutcome(job);
      const runId = String(lastRuns.size + 41);
      lastRuns.set(job, {
        id: runId,
        jobName: job,
        status: outcome.status,
        trigger: 'manual',
        triggeredBy: options.userId,
        processedCount: 3,
        errorMessage: outcome.error?.message ?? outcome.reason ?? null,
        summary: (outcome.summary as Readonly<Record<string, unknown>> | undefined) ?? null,
        startedAt: new Date('2025-03-03T14:00:00.000Z'),
        finishedAt: new Date('2025-03-03T14:00:01.500Z'),
      });
      if (!options.wait) return { accepted: true, job, runId, status: 'RUNNING' };
      return outcome;
    },
    getSettlementConfig: async () => {
      record('getSettlementConfig');
      return { ...config };
    },
    updateSettlementConfig: async (patch, userId) => {
      record('updateSettlementConfig', patch, userId);
      config = applySettlementConfigUpdate(config, validateSettlementConfigUpdate(patch));
      return { ...config };
    },
    allowanceQueueDepths: async () => {
      record('allowanceQueueDepths');
      return { ...depths };
    },
    replayAllowanceDlq: async ({ limit, userId }) => {
      record('replayAllowanceDlq', { limit, userId });
      const replayed = Math.min(limit, depths.deadLettered);
      depths.deadLettered -= replayed;
      depths.ready += replayed;
      return { replayed };
    },
  };

  return {
    operations,
    calls,
    running,
    state,
    config: () => ({ ...config }),
    depths: () => ({ ...depths }),
  };
}

export type FakeAdminOperations = ReturnType<typeof fakeAdminOperations>;

/** The admin API and `/metrics` on a real socket over the fake operations; requests go as the admin unless told otherwise. */
export async function startAdminApi(options: { renderMetrics?: () => Promise<string>; metricsToken?: string } = {}) {
  const fake = fakeAdminOperations();
  const logger = memoryLogger('app');
  const app = createHttpApp({
    routes: [...adminRoutes(fake.operations), metricsRoute(options.renderMetrics ?? (async () => ''), { token: options.metricsToken ?? null })],
    authSecret: ADMIN_AUTH_SECRET,
    logger,
    validateResponses: true,
  });
  const server = await serve(app);
  const adminToken = signToken({ sub: ADMIN_ID, role: 'admin' }, ADMIN_AUTH_SECRET);
  return {
    app,
    server,
    fake,
    logger,
    adminToken,
    guardianToken: signToken({ sub: '5b0c3f7e-2a7d-4f57-9a43-1f1f0f4b7c11', role: 'guardian' }, ADMIN_AUTH_SECRET),
    /** A request as the admin, unless it carries its own token or is `anonymous` (no token at all). */
    call: (path: string, request: TestRequest & { anonymous?: boolean } = {}) =>
      call(server.base, path, request.anonymous ? request : { token: adminToken, ...request }),
  };
}

export type AdminApi = Awaited<ReturnType<typeof startAdminApi>>;
