import { Gauge, type Registry } from 'prom-client';
import { JOB_NAMES, JOBS, SETTLEMENT_PENDING_COUNT_LIMIT, nextCronRun, type JobName } from '@banca/domain';
import type { Clock, CronRunRecord, CronRunRepository, SettlementConfigRepository } from '@banca/domain/ports';

/** How many settlement runs the backlog gauges look back over. */
const SETTLEMENT_RUNS_LOOKED_AT = 10;

/** What the run-history gauges read at each scrape: the database's history, so every process reports the same. */
export interface RunHistorySource {
  cronRuns: Pick<CronRunRepository, 'latestByJob' | 'lastSuccessByJob' | 'list'>;
  settlementConfig: Pick<SettlementConfigRepository, 'get'>;
  clock: Clock;
}

export interface RunHistorySnapshot {
  lastStart: Partial<Record<JobName, Date>>;
  lastSuccess: Partial<Record<JobName, Date>>;
  overdueSeconds: Record<JobName, number>;
  settlementBacklog: number | null;
  settlementBacklogGrowingRuns: number;
}

/**
 * How long a job's first slot after its latest run has been waiting, in seconds (0 when it is not due yet,
 * or the job never ran here: a new installation has no slot it missed).
 */
export function overdueSeconds(cron: string, lastStart: Date | undefined, now: Date): number {
  if (lastStart === undefined) return 0;
  const due = nextCronRun(cron, lastStart);
  return Math.max(0, Math.floor((now.getTime() - due.getTime()) / 1000));
}

/**
 * How many runs in a row, newest first, found a larger settlement backlog than the run before them:
 * `[9, 7, 5, 6]` → 2. A backlog that grows run after run is work arriving faster than the batches settle it.
 */
export function backlogGrowingRuns(backlogsNewestFirst: readonly number[]): number {
  let growing = 0;
  while (growing + 1 < backlogsNewestFirst.length && backlogsNewestFirst[growing]! > backlogsNewestFirst[growing + 1]!) growing += 1;
  return growing;
}

/** The pending count a settlement run found (`totalPending` of its summary); runs before the history kept summaries have none. */
function pendingOf(run: CronRunRecord): number | null {
  const pending = run.summary?.['totalPending'];
  return typeof pending === 'number' && Number.isSafeInteger(pending) ? pending : null;
}

export async function readRunHistory(source: RunHistorySource): Promise<RunHistorySnapshot> {
  const [latest, successes, config, settlementRuns] = await Promise.all([
    source.cronRuns.latestByJob(),
    source.cronRuns.lastSuccessByJob(),
    source.settlementConfig.get(),
    source.cronRuns.list({ jobName: 'settlement', status: 'SUCCESS', limit: SETTLEMENT_RUNS_LOOKED_AT }),
  ]);
  const now = source.clock.now();
  const lastStart: Partial<Record<JobName, Date>> = {};
  const lastSuccess: Partial<Record<JobName, Date>> = {};
  const overdue = {} as Record<JobName, number>;
  for (const job of JOB_NAMES) {
    if (latest[job]) lastStart[job] = latest[job].startedAt;
    if (successes[job]) lastSuccess[job] = successes[job];
    overdue[job] = overdueSeconds(job === 'settlement' ? config.cronSchedule : JOBS[job].cron, lastStart[job], now);
  }
  const backlogs: number[] = [];
  for (const run of settlementRuns.items) {
    const pending = pendingOf(run);
    if (pending === null) break;
    backlogs.push(pending);
  }
  return { lastStart, lastSuccess, overdueSeconds: overdue, settlementBacklog: backlogs[0] ?? null, settlementBacklogGrowingRuns: backlogGrowingRuns(backlogs) };
}

/**
 * The gauges alerting needs from the run history (deploy/prometheus/alerts.yml): when each job last
 * started and last succeeded, how overdue its next slot is, the settlement backlog and how many runs in a
 * row it grew. One read of the database serves all the gauges of a scrape.
 */
export function registerRunHistoryGauges(registry: Registry, source: RunHistorySource): void {
  let pending: Promise<RunHistorySnapshot | null> | null = null;
  const snapshot = (): Promise<RunHistorySnapshot | null> => {
    pending ??= readRunHistory(source)
      // The database is down: the gauges keep their last values, and /health/ready says why.
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = null), 1000).unref());
    return pending;
  };
  const perJob = (name: string, help: string, value: (snap: RunHistorySnapshot, job: JobName) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['job'],
      registers: [registry],
      async collect() {
        const snap = await snapshot();
        if (snap === null) return;
        for (const job of JOB_NAMES) {
          const seconds = value(snap, job);
          if (seconds !== undefined) this.set({ job }, seconds);
        }
      },
    });
  const epoch = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);
  perJob('banca_job_last_run_start_timestamp_seconds', 'When the latest run of each job started (Unix seconds), from the run history', (snap, job) => epoch(snap.lastStart[job]));
  perJob('banca_job_last_success_timestamp_seconds', 'When each job last finished with SUCCESS (Unix seconds), from the run history', (snap, job) => epoch(snap.lastSuccess[job]));
  perJob('banca_job_overdue_seconds', 'How long the first slot after the latest run of each job has been due without a run (0 when none is due)', (snap, job) => snap.overdueSeconds[job]);
  new Gauge({
    name: 'banca_settlement_backlog_statements',
    help: `Eligible days the latest successful settlement run found pending, counted up to ${SETTLEMENT_PENDING_COUNT_LIMIT} (at least that many when it reads ${SETTLEMENT_PENDING_COUNT_LIMIT})`,
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      if (snap && snap.settlementBacklog !== null) this.set(snap.settlementBacklog);
    },
  });
  new Gauge({
    name: 'banca_settlement_backlog_growing_runs',
    help: 'Successful settlement runs in a row that found a larger backlog than the run before',
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      if (snap !== null) this.set(snap.settlementBacklogGrowingRuns);
    },
  });
}
