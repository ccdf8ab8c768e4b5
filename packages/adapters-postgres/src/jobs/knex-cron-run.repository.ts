import type { Knex } from 'knex';
import type { CronRunRecord, CronRunRepository, CronRunStatus } from '@banca/domain/ports';
import { classifyPostgresError } from './classify-postgres-error';

interface CronRunRow {
  job_name: string;
  status: CronRunStatus;
  processed_count: number;
  error_message: string | null;
  started_at: Date;
  finished_at: Date;
}

/** The `cron_runs` audit (docs/architecture.md, Running the jobs): one insert per run, one statement for the latest run of every job. */
export class KnexCronRunRepository implements CronRunRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * A run that failed because its connection was killed is the run the audit must keep: the pool may
   * hand that dying connection back once more, so a connection-class failure is retried once.
   */
  async record(run: CronRunRecord): Promise<void> {
    try {
      await this.insert(run);
    } catch (error) {
      if (classifyPostgresError(error).errorType !== 'DB_UNREACHABLE') throw error;
      await this.insert(run);
    }
  }

  private async insert(run: CronRunRecord): Promise<void> {
    await this.knex('cron_runs').insert({
      job_name: run.jobName,
      status: run.status,
      processed_count: run.processedCount,
      error_message: run.errorMessage,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
    });
  }

  async latestByJob(): Promise<Record<string, CronRunRecord>> {
    // cron_runs_job_started_idx serves this ordering; `id DESC` breaks ties between runs started at the same instant.
    const { rows } = (await this.knex.raw(`
      SELECT DISTINCT ON (job_name) job_name, status, processed_count, error_message, started_at, finished_at
      FROM cron_runs
      ORDER BY job_name, started_at DESC, id DESC
    `)) as { rows: CronRunRow[] };
    const latest: Record<string, CronRunRecord> = {};
    for (const row of rows) latest[row.job_name] = toRecord(row);
    return latest;
  }
}

function toRecord(row: CronRunRow): CronRunRecord {
  return {
    jobName: row.job_name,
    status: row.status,
    processedCount: row.processed_count,
    errorMessage: row.error_message,
    startedAt: new Date(row.started_at),
    finishedAt: new Date(row.finished_at),
  };
}
