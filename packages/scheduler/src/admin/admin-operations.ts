import { assertJobName, JOB_NAMES, JOBS, nextCronRun, type JobName, type SettlementConfig } from '@banca/domain';
import {
  reconcileMonth,
  updateSettlementConfig,
  type ReconcileMonthOptions,
  type ReconciliationReport,
  type CronRunQuery,
  type JobRunResult,
  type Logger,
} from '@banca/domain/ports';
import type { AllowanceTransport, CronRunRepository, ReconciliationRepository, SettlementConfigRepository } from '@banca/domain/ports';
import type { Container } from 'inversify';
import { ServiceIds } from '../composition/service-ids';
import type { JobRunner } from '../jobs/run-job';
import { deadLetterOperationsOf, type DeadLetterOperations } from './dead-letter-operations';

/** What the admin API does, over the process's job runner, repositories and allowance transport. */
export interface AdminOperationsDeps {
  runner: JobRunner;
  repositories: { cronRuns: CronRunRepository; settlementConfig: SettlementConfigRepository; reconciliation: ReconciliationRepository };
  transport: AllowanceTransport;
  logger: Logger;
  /** The old DLQ replay goes through the dead-letter store. */
  deadLetters: Pick<DeadLetterOperations, 'replayAllowanceDlq'>;
  /** The next run of each job as this process schedules it, when it runs the scheduler. */
  nextRuns: () => Partial<Record<JobName, { cron: string; nextRun: Date | null }>>;
  /** Called after a settlement config change, so a scheduler in this process follows at once. */
  onSettlementConfigChanged?: () => Promise<void>;
}

export function adminOperations(deps: AdminOperationsDeps) {
  const { repositories, transport } = deps;
  return {
    async listJobs() {
      const [latest, config] = await Promise.all([repositories.cronRuns.latestByJob(), repositories.settlementConfig.get()]);
      const scheduled = deps.nextRuns();
      return JOB_NAMES.map((name) => {
        const cron = name === 'settlement' ? config.cronSchedule : JOBS[name].cron;
        return {
          name,
          cron,
          crTime: JOBS[name].crTime,
          description: JOBS[name].description,
          nextRun: scheduled[name]?.nextRun?.toISOString() ?? nextRunOf(cron),
          lastRun: latest[name] ?? null,
        };
      });
    },

    /**
     * With `wait: false`, answers as soon as the run has its `cron_runs` row and lets it go on (an active
     * operation, so shutdown waits for it); a refusal before that (JOB.ALREADY_RUNNING, bad input) is thrown as usual.
     */
    async triggerJob(name: string, options: { month?: string; userId: string; wait?: boolean }) {
      const job = assertJobName(name);
      let recorded: (runId: string) => void = () => undefined;
      const hasRow = new Promise<string>((resolve) => (recorded = resolve));
      const run = deps.runner.runJob(job, {
        trigger: 'manual',
        userId: options.userId,
        ...(options.month === undefined ? {} : { month: options.month }),
        ...(options.wait === false ? { onRecorded: recorded } : {}),
      });
      if (options.wait !== false) return runView(await run);
      const first = await Promise.race([hasRow.then((runId) => ({ runId })), run.then((result) => ({ result }))]);
      if ('result' in first) return runView(first.result);
      run.catch((error: unknown) => deps.logger.error('JOB_RUN_FAIL', { job, runId: first.runId, error: error instanceof Error ? error.message : String(error) }));
      const row = await repositories.cronRuns.findById(first.runId);
      return { accepted: true as const, job, runId: first.runId, status: row?.status ?? ('RUNNING' as const) };
    },

    listRuns: (query: CronRunQuery) => repositories.cronRuns.list(query),

    getRun: (id: string) => repositories.cronRuns.findById(id),

    getSettlementConfig: (): Promise<SettlementConfig> => repositories.settlementConfig.get(),

    async updateSettlementConfig(patch: unknown, userId: string): Promise<SettlementConfig> {
      const updated = await updateSettlementConfig({ config: repositories.settlementConfig }, patch, userId);
      await deps.onSettlementConfigChanged?.();
      return updated;
    },

    reconcile: (options: ReconcileMonthOptions): Promise<ReconciliationReport> => reconcileMonth({ reconciliation: repositories.reconciliation }, options),

    allowanceQueueDepths: () => transport.depths(),

    replayAllowanceDlq: (options: { limit: number; userId: string }) => deps.deadLetters.replayAllowanceDlq(options),
  };
}

/** The admin operations of a process without a scheduler of its own (the CLI's). */
export async function adminOperationsOf(container: Container) {
  return adminOperations({
    runner: await container.getAsync(ServiceIds.JobRunner),
    repositories: await container.getAsync(ServiceIds.Repositories),
    transport: await container.getAsync(ServiceIds.Transport),
    logger: container.get(ServiceIds.Logger),
    deadLetters: await deadLetterOperationsOf(container),
    nextRuns: () => ({}),
  });
}

export function runView(result: JobRunResult<object>) {
  switch (result.status) {
    case 'SUCCESS':
      return { status: result.status, job: result.job, runId: result.runId, summary: result.summary };
    case 'SKIPPED':
      return { status: result.status, job: result.job, runId: result.runId, reason: result.reason, ...(result.summary ? { summary: result.summary } : {}) };
    case 'FAILED':
      return { status: result.status, job: result.job, runId: result.runId, error: { errorType: result.error.errorType, errorCode: result.error.errorCode, message: result.error.message } };
  }
}

function nextRunOf(cron: string): string | null {
  try {
    return nextCronRun(cron, new Date()).toISOString();
  } catch {
    return null;
  }
}
