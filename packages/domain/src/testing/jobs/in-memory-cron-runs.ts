import {
  ABANDONED_RUN_MESSAGE,
  abandonedRunSummary,
  type CronRunOutcome,
  type CronRunQuery,
  type CronRunRecord,
  type CronRunRepository,
  type CronRunStart,
  type RunSummary,
} from '../../jobs/job-run.ports';
import { DomainError } from '../../kernel/domain-error';
import { assertPageLimit, decodeCursor, pageOf, type Page } from '../../kernel/page';

/** The reference run history: the rules of `cron_runs` over an array. */
export class InMemoryCronRunRepository implements CronRunRepository {
  readonly runs: CronRunRecord[] = [];
  private nextId = 1;

  async start(run: CronRunStart): Promise<string> {
    for (const [index, row] of this.runs.entries()) {
      if (row.jobName === run.jobName && row.status === 'RUNNING') {
        this.runs[index] = { ...row, status: 'FAILED', errorMessage: ABANDONED_RUN_MESSAGE, summary: abandonedRunSummary(row.jobName), finishedAt: laterOf(row.startedAt, run.startedAt) };
      }
    }
    return this.insert({ ...run, status: 'RUNNING', processedCount: 0, errorMessage: null, summary: null, finishedAt: null });
  }

  async finish(id: string, outcome: CronRunOutcome): Promise<void> {
    const index = this.runs.findIndex((row) => row.id === id);
    if (index < 0) throw new Error(`no cron run ${id}`);
    const row = this.runs[index]!;
    assertFinishedAfterStart(row.startedAt, outcome.finishedAt);
    this.runs[index] = { ...row, ...copyOutcome(outcome) };
  }

  async record(run: CronRunStart & CronRunOutcome): Promise<string> {
    assertFinishedAfterStart(run.startedAt, run.finishedAt);
    return this.insert({ jobName: run.jobName, trigger: run.trigger, triggeredBy: run.triggeredBy, startedAt: run.startedAt, ...copyOutcome(run) });
  }

  async latestByJob(): Promise<Record<string, CronRunRecord>> {
    const latest: Record<string, CronRunRecord> = {};
    for (const run of this.newestFirst()) latest[run.jobName] ??= { ...run };
    return latest;
  }

  async lastSuccessByJob(): Promise<Record<string, Date>> {
    const last: Record<string, Date> = {};
    for (const run of this.runs) {
      if (run.status !== 'SUCCESS' || run.finishedAt === null) continue;
      const seen = last[run.jobName];
      if (!seen || run.finishedAt.getTime() > seen.getTime()) last[run.jobName] = run.finishedAt;
    }
    return last;
  }

  async findById(id: string): Promise<CronRunRecord | null> {
    const row = this.runs.find((run) => run.id === id);
    return row ? { ...row } : null;
  }

  async list(query: CronRunQuery): Promise<Page<CronRunRecord>> {
    const limit = assertPageLimit(query.limit);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, ['instant', 'integer']);
    const rows = this.newestFirst().filter(
      (run) =>
        (query.jobName === undefined || run.jobName === query.jobName) &&
        (query.status === undefined || run.status === query.status) &&
        (query.trigger === undefined || run.trigger === query.trigger) &&
        (query.from === undefined || run.startedAt.getTime() >= query.from.getTime()) &&
        (query.to === undefined || run.startedAt.getTime() < query.to.getTime()) &&
        (after === null || isOlderThan(run, new Date(after[0] as string).getTime(), after[1] as number)),
    );
    return pageOf(rows.slice(0, limit + 1), limit, (run) => [run.startedAt.toISOString(), Number(run.id)], (run) => ({ ...run }));
  }

  async deleteFinishedBefore(cutoff: Date, batchSize: number): Promise<number> {
    const latestIds = new Set(Object.values(await this.latestByJob()).map((run) => run.id));
    const doomed = this.runs
      .filter((run) => run.status !== 'RUNNING' && run.startedAt.getTime() < cutoff.getTime() && !latestIds.has(run.id))
      .slice(0, batchSize)
      .map((run) => run.id);
    const gone = new Set(doomed);
    this.runs.splice(0, this.runs.length, ...this.runs.filter((run) => !gone.has(run.id)));
    return gone.size;
  }

  private insert(row: Omit<CronRunRecord, 'id'>): string {
    const id = String(this.nextId++);
    this.runs.push({ id, ...row });
    return id;
  }

  private newestFirst(): CronRunRecord[] {
    return [...this.runs].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || Number(b.id) - Number(a.id));
  }
}

const isOlderThan = (run: CronRunRecord, startedAt: number, id: number): boolean =>
  run.startedAt.getTime() < startedAt || (run.startedAt.getTime() === startedAt && Number(run.id) < id);

const copyOutcome = (outcome: CronRunOutcome) => ({
  status: outcome.status,
  processedCount: outcome.processedCount,
  errorMessage: outcome.errorMessage,
  // As jsonb keeps it: JSON values only.
  summary: outcome.summary === null ? null : (JSON.parse(JSON.stringify(outcome.summary)) as RunSummary),
  finishedAt: outcome.finishedAt,
});

const laterOf = (a: Date, b: Date): Date => (a.getTime() > b.getTime() ? a : b);

function assertFinishedAfterStart(startedAt: Date, finishedAt: Date): void {
  if (finishedAt.getTime() < startedAt.getTime()) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'a run cannot finish before it started', { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() });
  }
}
