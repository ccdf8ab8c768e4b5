import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobRunResult } from '@banca/domain/ports';

/** The Prometheus metrics of one process (docs/architecture.md, HTTP): job runs, credits, queue depths, HTTP latency. */
export class BancaMetrics {
  readonly registry = new Registry();
  private readonly jobRuns = new Counter({ name: 'banca_job_runs_total', help: 'Job runs by job and status', labelNames: ['job', 'status'], registers: [this.registry] });
  private readonly jobDuration = new Histogram({
    name: 'banca_job_duration_seconds',
    help: 'Job run duration by job and status',
    labelNames: ['job', 'status'],
    buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [this.registry],
  });
  private readonly allowanceOutcomes = new Counter({
    name: 'banca_allowance_deliveries_total',
    help: 'Allowance deliveries by outcome (credited, duplicate, retried, dead-lettered)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'banca_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(queueDepths?: () => Promise<{ ready: number; retrying: number; deadLettered: number }>) {
    collectDefaultMetrics({ register: this.registry });
    if (queueDepths) {
      new Gauge({
        name: 'banca_allowance_queue_messages',
        help: 'Allowance messages waiting, by queue (ready, retrying, dead-lettered)',
        labelNames: ['queue'],
        registers: [this.registry],
        async collect() {
          try {
            const depths = await queueDepths();
            this.set({ queue: 'ready' }, depths.ready);
            this.set({ queue: 'retrying' }, depths.retrying);
            this.set({ queue: 'dead-lettered' }, depths.deadLettered);
          } catch {
            // The broker is down: the gauge keeps its last values, and /health/ready says why.
          }
        },
      });
    }
  }

  /**
   * Adds `banca_allowance_dead_letters_open`: dead letters neither replayed nor purged, counted in the
   * store at each scrape (the "dead letters waiting" alert reads it). Called once, by the composition.
   */
  countOpenDeadLetters(countOpen: () => Promise<number>): void {
    new Gauge({
      name: 'banca_allowance_dead_letters_open',
      help: 'Allowance dead letters neither replayed nor purged (open, or in a replay not finished)',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await countOpen());
        } catch {
          // The database is down: the gauge keeps its last value, and /health/ready says why.
        }
      },
    });
  }

  jobFinished(result: JobRunResult<object>, seconds: number): void {
    this.jobRuns.inc({ job: result.job, status: result.status });
    this.jobDuration.observe({ job: result.job, status: result.status }, seconds);
  }

  allowanceDelivery(outcome: 'credited' | 'duplicate' | 'retried' | 'dead-lettered'): void {
    this.allowanceOutcomes.inc({ outcome });
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
