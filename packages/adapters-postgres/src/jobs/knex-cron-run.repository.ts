import type { Knex } from 'knex';
import {
  ABANDONED_RUN_MESSAGE,
  abandonedRunSummary,
  assertPageLimit,
  decodeCursor,
  pageOf,
  type CronRunOutcome,
  type CronRunQuery,
  type CronRunRecord,
  type CronRunRepository,
  type CronRunStart,
  type CronRunStatus,
  type Page,
  type RunSummary,
  type RunTrigger,
} from '@banca/domain/ports';
import { classifyPostgresError } from './classify-postgres-error';

interface CronRunRow {
  id: string;
  job_name: string;
  status: CronRunStatus;
  trigger: RunTrigger | null;
  triggered_by: string | null;
  processed_count: number;
  error_message: string | null;
  summary: RunSummary | null;
  started_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'id, job_name, status, trigger, triggered_by, processed_count, error_message, summary, started_at, finished_at';

/**
 * The run history, `cron_runs` (docs/architecture.md, Running the jobs): a RUNNING row when a run takes its
 * lock, its outcome and summary when it ends, and the reads of the admin API. Every write is one statement.
 */
export class KnexCronRunRepository implements CronRunRepository {
  constructor(private readonly knex: Knex) {}

  /** Closing the job's abandoned rows and opening the new one is one statement: both or neither. */
  async start(run: CronRunStart): Promise<string> {
    return this.retriedOnce(async () => {
      const { rows } = (await this.knex.raw(
        `
        WITH abandoned AS (
          UPDATE cron_runs
          SET status = 'FAILED', error_message = :message, summary = :summary::jsonb, finished_at = GREATEST(started_at, :startedAt)
          WHERE job_name = :jobName AND status = 'RUNNING'
        )
        INSERT INTO cron_runs (job_name, status, trigger, triggered_by, processed_count, started_at)
        VALUES (:jobName, 'RUNNING', :trigger, :triggeredBy, 0, :startedAt)
        RETURNING id
        `,
        {
          jobName: run.jobName,
          trigger: run.trigger,
          triggeredBy: run.triggeredBy,
          startedAt: run.startedAt,
          message: ABANDONED_RUN_MESSAGE,
          summary: JSON.stringify(abandonedRunSummary(run.jobName)),
        },
      )) as { rows: Array<{ id: string }> };
      return String(rows[0]!.id);
    });
  }

  /**
   * A run that failed because its connection was killed is the run the audit must keep: the pool may
   * hand that dying connection back once more, so a connection-class failure is retried once (each
   * write here is safe to repeat: finishing sets the same values, and starting or recording again
   * after a lost answer only adds a row the next start closes or the history shows).
   */
  async finish(id: string, outcome: CronRunOutcome): Promise<void> {
    await this.retriedOnce(async () => {
      const updated = await this.knex('cron_runs')
        .where({ id })
        .update({
          status: outcome.status,
          processed_count: outcome.processedCount,
          error_message: outcome.errorMessage,
          summary: summaryJson(outcome.summary),
          finished_at: outcome.finishedAt,
        });
      if (updated !== 1) throw new Error(`no cron run ${id} to finish`);
    });
  }

  async record(run: CronRunStart & CronRunOutcome): Promise<string> {
    return this.retriedOnce(async () => {
      const [row] = (await this.knex('cron_runs')
        .insert({
          job_name: run.jobName,
          status: run.status,
          trigger: run.trigger,
          triggered_by: run.triggeredBy,
          processed_count: run.processedCount,
          error_message: run.errorMessage,
          summary: summaryJson(run.summary),
          started_at: run.startedAt,
          finished_at: run.finishedAt,
        })
        .returning('id')) as Array<{ id: string }>;
      return String(row!.id);
    });
  }

  async latestByJob(): Promise<Record<string, CronRunRecord>> {
    // cron_runs_job_started_idx serves this ordering; `id DESC` breaks ties between runs started at the same instant.
    const { rows } = (await this.knex.raw(`
      SELECT DISTINCT ON (job_name) ${COLUMNS}
      FROM cron_runs
      ORDER BY job_name, started_at DESC, id DESC
    `)) as { rows: CronRunRow[] };
    const latest: Record<string, CronRunRecord> = {};
    for (const row of rows) latest[row.job_name] = toRecord(row);
    return latest;
  }

  async lastSuccessByJob(): Promise<Record<string, Date>> {
    const { rows } = (await this.knex.raw(`
      SELECT job_name, max(finished_at) AS finished_at FROM cron_runs WHERE status = 'SUCCESS' GROUP BY job_name
    `)) as { rows: Array<{ job_name: string; finished_at: Date }> };
    return Object.fromEntries(rows.map((row) => [row.job_name, new Date(row.finished_at)]));
  }

  async findById(id: string): Promise<CronRunRecord | null> {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return null;
    const row = (await this.knex('cron_runs').select(this.knex.raw(COLUMNS)).where({ id }).first()) as CronRunRow | undefined;
    return row ? toRecord(row) : null;
  }

  async list(query: CronRunQuery): Promise<Page<CronRunRecord>> {
    const limit = assertPageLimit(query.limit);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, ['instant', 'integer']);
    const select = this.knex('cron_runs').select(this.knex.raw(COLUMNS));
    if (query.jobName !== undefined) select.where('job_name', query.jobName);
    if (query.status !== undefined) select.where('status', query.status);
    if (query.trigger !== undefined) select.where('trigger', query.trigger);
    if (query.from !== undefined) select.where('started_at', '>=', query.from);
    if (query.to !== undefined) select.where('started_at', '<', query.to);
    // A row comparison, so the (started_at DESC, id DESC) indexes serve the keyset as a range.
    if (after !== null) select.whereRaw('(started_at, id) < (?::timestamptz, ?::bigint)', [after[0], after[1]]);
    const rows = (await select.orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1)) as CronRunRow[];
    return pageOf(rows, limit, (row) => [new Date(row.started_at).toISOString(), Number(row.id)], toRecord);
  }

  async deleteFinishedBefore(cutoff: Date, batchSize: number): Promise<number> {
    const { rowCount } = (await this.knex.raw(
      `
      DELETE FROM cron_runs
      WHERE id IN (
        SELECT id FROM cron_runs old
        WHERE old.started_at < :cutoff AND old.status <> 'RUNNING'
          AND EXISTS (
            SELECT 1 FROM cron_runs later
            WHERE later.job_name = old.job_name AND (later.started_at, later.id) > (old.started_at, old.id)
          )
        ORDER BY old.started_at, old.id
        LIMIT :batchSize
      )
      `,
      { cutoff, batchSize },
    )) as { rowCount: number };
    return rowCount;
  }

  private async retriedOnce<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (classifyPostgresError(error).errorType !== 'DB_UNREACHABLE') throw error;
      return write();
    }
  }
}

const summaryJson = (summary: RunSummary | null): string | null => (summary === null ? null : JSON.stringify(summary));

function toRecord(row: CronRunRow): CronRunRecord {
  return {
    id: String(row.id),
    jobName: row.job_name,
    status: row.status,
    trigger: row.trigger,
    triggeredBy: row.triggered_by,
    processedCount: row.processed_count,
    errorMessage: row.error_message,
    summary: row.summary,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}
