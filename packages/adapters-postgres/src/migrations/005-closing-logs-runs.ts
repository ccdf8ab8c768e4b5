import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** Monthly closing balances, activity logs and the audit of job runs (docs/architecture.md, The banca rules). */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE monthly_closing_balances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      closing_month text NOT NULL CHECK (closing_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      dimension text NOT NULL CHECK (dimension IN ('vendedor', 'ventana', 'banca')),
      entity_id uuid NOT NULL,
      banca_id uuid NOT NULL REFERENCES bancas (id),
      ticket_count integer NOT NULL CHECK (ticket_count >= 0),
      total_sales numeric(14,2) NOT NULL,
      total_payouts numeric(14,2) NOT NULL,
      total_commissions numeric(14,2) NOT NULL,
      net_balance numeric(14,2) NOT NULL,
      total_paid numeric(14,2) NOT NULL CHECK (total_paid >= 0),
      total_collected numeric(14,2) NOT NULL CHECK (total_collected >= 0),
      opening_balance numeric(14,2) NOT NULL,
      remaining_balance numeric(14,2) NOT NULL,
      closed_at timestamptz NOT NULL DEFAULT now(),
      closed_by text,
      CHECK (net_balance = total_sales - total_payouts - total_commissions),
      CHECK (remaining_balance = opening_balance + net_balance - total_collected + total_paid),
      UNIQUE (closing_month, dimension, entity_id)
    );

    CREATE TABLE activity_logs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      actor_id text,
      action text NOT NULL,
      target_type text,
      target_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX activity_logs_created_at_idx ON activity_logs (created_at);

    CREATE TABLE cron_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_name text NOT NULL,
      status text NOT NULL CHECK (status IN ('SUCCESS', 'FAILED', 'SKIPPED')),
      processed_count integer NOT NULL DEFAULT 0 CHECK (processed_count >= 0),
      error_message text,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      CHECK (finished_at >= started_at)
    );
    CREATE INDEX cron_runs_job_started_idx ON cron_runs (job_name, started_at DESC);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE cron_runs; DROP TABLE activity_logs; DROP TABLE monthly_closing_balances;');
}
