import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { assertJobName, assertMonth, assertMonthEnded, assertUserId, DomainError, SYSTEM_USER, type JobName } from '@banca/domain';
import { executeJob, fixedClock, type JobRunResult } from '@banca/domain/ports';
import type { RunJobOptions } from './job-definition';
import { jobDefinition } from './job-catalog';
import type { JobPorts, JobSettings } from './job-ports';

const tracer = trace.getTracer('@banca/scheduler');

/** Runs one job now, by hand or on its schedule. */
export interface JobRunner {
  runJob(name: string, options?: RunJobOptions): Promise<JobRunResult<object>>;
}

/**
 * The job runner over a process's ports: what the scheduler, the CLI and the admin API call. Bad
 * input (job name, user, month, `now`, a month not ended) is refused before anything runs or is
 * recorded. `observe` sees each finished run with its duration (metrics).
 */
export function createJobRunner(ports: JobPorts, settings: JobSettings, observe?: (result: JobRunResult<object>, seconds: number) => void): JobRunner {
  return {
    async runJob(name, options = {}) {
      const job: JobName = assertJobName(name);
      if (options.userId !== undefined && options.userId !== null) assertUserId(options.userId);
      if (options.month !== undefined) {
        assertMonth(options.month);
        if (job !== 'monthly-closing') {
          throw new DomainError('JOB.INVALID_OPTIONS', `--month applies to monthly-closing only, not to ${job}`, { job, month: options.month });
        }
      }
      if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime()))) {
        throw new DomainError('TIME.INVALID_INSTANT', `invalid instant for now: ${String(options.now)}`, { value: String(options.now) });
      }
      const clock = options.now ? fixedClock(options.now) : ports.clock;
      // A month still running in CR time is refused as bad input, before the run is recorded.
      if (options.month !== undefined) assertMonthEnded(options.month, clock.now());
      const definition = jobDefinition(job);
      const context = { ports, settings, clock, options: { ...options, trigger: options.trigger ?? 'manual' } };
      const started = process.hrtime.bigint();
      // One span per run (docs/architecture.md, Tracing): its statements, publishes and log lines hang under it.
      const result = await tracer.startActiveSpan(`job ${job}`, { attributes: { 'banca.job.name': job, 'banca.job.trigger': context.options.trigger } }, async (span) => {
        try {
          // The audit keeps real start and finish times; only the job runs at the requested instant.
          const outcome = await executeJob(
            { ...ports, lock: ports.jobLock },
            {
              name: job,
              trigger: context.options.trigger,
              triggeredBy: options.userId ?? SYSTEM_USER,
              ...(options.onRecorded ? { onRecorded: options.onRecorded } : {}),
              lockTtlMs: definition.lockTtlMs,
              run: () => definition.run(context),
              processedCount: (summary) => definition.processedCount(summary),
              ...(definition.skippedReason ? { skippedReason: (summary: object) => definition.skippedReason!(summary) } : {}),
            },
          );
          describeOutcome(span, outcome, definition.processedCount);
          return outcome;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      });
      observe?.(result, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    },
  };
}

/** The run's status, id and counts on its span; a failed run marks it as an error with its class. */
function describeOutcome(span: Span, result: JobRunResult<object>, processedCount: (summary: object) => number): void {
  span.setAttribute('banca.job.status', result.status);
  if (result.runId !== null) span.setAttribute('banca.job.run_id', result.runId);
  if (result.status === 'SUCCESS') span.setAttribute('banca.job.processed', processedCount(result.summary));
  if (result.status === 'SKIPPED') span.setAttribute('banca.job.skipped_reason', result.reason);
  if (result.status === 'FAILED') {
    span.setAttribute('banca.job.error_type', result.error.errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
  }
}
