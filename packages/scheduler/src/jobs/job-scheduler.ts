import schedule from 'node-schedule';
import { JOB_NAMES, JOBS, jobActionPrefix, parseCron, type JobName } from '@banca/domain';
import { type JobRunResult, type Logger } from '@banca/domain/ports';

export interface JobSchedulerOptions {
  /** Runs one scheduled job; errors it throws are logged, never allowed to stop the scheduler. */
  runScheduled: (name: JobName) => Promise<JobRunResult<object>>;
  /** The settlement rule from its config row (docs/architecture.md, The banca rules); read at start and then every `configPollMs`. */
  readSettlementCron: () => Promise<string>;
  logger: Logger;
  configPollMs?: number;
  now?: () => Date;
  /** Which jobs this process schedules; all of them by default. */
  jobs?: readonly JobName[];
}

/**
 * Registers the jobs of docs/architecture.md (Time) with node-schedule in UTC and logs `<JOB>_SCHEDULED { nextRun,
 * delayMinutes }`. Settlement follows its config: a changed rule is picked up without a restart
 * (polled, or at once through `refreshSettlementRule`), and an invalid stored rule keeps the last
 * valid one.
 */
export class JobScheduler {
  private readonly scheduled = new Map<JobName, { job: schedule.Job; cron: string }>();
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private refusedSettlementRule: string | null = null;

  constructor(private readonly options: JobSchedulerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    for (const name of this.options.jobs ?? JOB_NAMES) {
      if (name === 'settlement') continue;
      this.register(name, JOBS[name].cron);
    }
    if ((this.options.jobs ?? JOB_NAMES).includes('settlement')) {
      await this.refreshSettlementRule().catch((error: unknown) => {
        this.options.logger.warn('SETTLEMENT_RULE_READ_FAIL', { error: messageOf(error), fallback: JOBS.settlement.cron });
        if (!this.scheduled.has('settlement')) this.register('settlement', JOBS.settlement.cron);
      });
      this.pollTimer = setInterval(() => {
        this.refreshSettlementRule().catch((error: unknown) => this.options.logger.warn('SETTLEMENT_RULE_READ_FAIL', { error: messageOf(error) }));
      }, this.options.configPollMs ?? 60_000);
      this.pollTimer.unref();
    }
  }

  /**
   * Re-reads the settlement rule and reschedules when it changed. The job in place is cancelled only
   * once its successor is scheduled, so a rule that cannot be scheduled leaves the last valid one
   * running; it is logged once, not at every poll.
   */
  async refreshSettlementRule(): Promise<void> {
    if (this.stopped) return;
    const cron = await this.options.readSettlementCron();
    const current = this.scheduled.get('settlement');
    if (current?.cron === cron) {
      this.refusedSettlementRule = null;
      return;
    }
    if (current && this.refusedSettlementRule === cron) return;
    try {
      parseCron(cron);
      this.register('settlement', cron);
    } catch (error) {
      this.refusedSettlementRule = cron;
      this.options.logger.warn('SETTLEMENT_RULE_INVALID', { cron, error: messageOf(error), keeping: current?.cron ?? JOBS.settlement.cron });
      if (!current) this.register('settlement', JOBS.settlement.cron);
      return;
    }
    this.refusedSettlementRule = null;
    current?.job.cancel();
  }

  /** The next run of each scheduled job. */
  nextRuns(): Partial<Record<JobName, { cron: string; nextRun: Date | null }>> {
    const result: Partial<Record<JobName, { cron: string; nextRun: Date | null }>> = {};
    for (const [name, { job, cron }] of this.scheduled) result[name] = { cron, nextRun: nextInvocation(job) };
    return result;
  }

  /** Stops scheduling; runs in flight finish on their own (shutdown drains them). */
  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const { job } of this.scheduled.values()) job.cancel();
    this.scheduled.clear();
  }

  /** Schedules the job at the rule, in place of any job of that name in `scheduled` (cancelling it is the caller's). */
  private register(name: JobName, cron: string): void {
    const job = schedule.scheduleJob(name, { rule: cron, tz: 'Etc/UTC' }, () => {
      this.options.runScheduled(name).catch((error: unknown) => this.options.logger.error('JOB_FAIL', { job: name, errorType: 'UNKNOWN_ERROR', errorCode: null, error: messageOf(error) }));
    });
    if (!job) throw new Error(`node-schedule finds no next run for the rule ${cron} of ${name}`);
    this.scheduled.set(name, { job, cron });
    const nextRun = nextInvocation(job);
    const now = (this.options.now ?? (() => new Date()))();
    this.options.logger.info(`${jobActionPrefix(name)}_SCHEDULED`, {
      cron,
      nextRun: nextRun?.toISOString() ?? null,
      delayMinutes: nextRun ? Math.round((nextRun.getTime() - now.getTime()) / 60_000) : null,
    });
  }
}

function nextInvocation(job: schedule.Job): Date | null {
  const next = job.nextInvocation() as unknown as { getTime(): number } | null;
  return next ? new Date(next.getTime()) : null;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
