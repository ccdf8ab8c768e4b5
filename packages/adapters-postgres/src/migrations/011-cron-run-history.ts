import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * The run history (docs/architecture.md, Running the jobs): each run says how it was started
 * (`trigger`, `triggered_by`) and what it did (`summary`), and a run in progress is a row too
 * (`RUNNING`, no `finished_at` yet). Rows written before this migration keep NULL in the new
 * columns: nobody recorded how they were started, and the history says so rather than guess.
 * The list reads newest first with `id` breaking ties, with or without a job filter.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(
    knex,
    `
    ALTER TABLE cron_runs
      ADD COLUMN trigger text CHECK (trigger IN ('schedule', 'manual')),
      ADD COLUMN triggered_by text CHECK (char_length(triggered_by) BETWEEN 1 AND 128),
      ADD COLUMN summary jsonb CHECK (jsonb_typeof(summary) = 'object'),
      ALTER COLUMN finished_at DROP NOT NULL,
      DROP CONSTRAINT cron_runs_status_check,
      ADD CONSTRAINT cron_runs_status_check CHECK (status IN ('RUNNING', 'SUCCESS', 'FAILED', 'SKIPPED')),
      ADD CONSTRAINT cron_runs_running_unfinished CHECK ((status = 'RUNNING') = (finished_at IS NULL));
    DROP INDEX cron_runs_job_started_idx;
    CREATE INDEX cron_runs_job_started_idx ON cron_runs (job_name, started_at DESC, id DESC);
    CREATE INDEX cron_runs_started_idx ON cron_runs (started_at DESC, id DESC);
    CREATE INDEX cron_runs_running_idx ON cron_runs (job_name) WHERE status = 'RUNNING';
    `,
  );
}

export async function down(knex: Knex): Promise<void> {
  await runSql(
    knex,
    `
    DELETE FROM cron_runs WHERE status = 'RUNNING';
    DROP INDEX cron_runs_running_idx;
    DROP INDEX cron_runs_started_idx;
    DROP INDEX cron_runs_job_started_idx;
    CREATE INDEX cron_runs_job_started_idx ON cron_runs (job_name, started_at DESC);
    ALTER TABLE cron_runs
      DROP CONSTRAINT cron_runs_running_unfinished,
      DROP CONSTRAINT cron_runs_status_check,
      ADD CONSTRAINT cron_runs_status_check CHECK (status IN ('SUCCESS', 'FAILED', 'SKIPPED')),
      ALTER COLUMN finished_at SET NOT NULL,
      DROP COLUMN summary,
      DROP COLUMN triggered_by,
      DROP COLUMN trigger;
    `,
  );
}
