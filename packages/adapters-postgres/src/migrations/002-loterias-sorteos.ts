import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** Lotteries and their draws (docs/architecture.md, The banca rules). */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE loterias (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      is_active boolean NOT NULL DEFAULT true,
      auto_open_enabled boolean NOT NULL DEFAULT true,
      auto_create_enabled boolean NOT NULL DEFAULT true,
      rules_json jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sorteos (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      loteria_id uuid NOT NULL REFERENCES loterias (id),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      scheduled_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'OPEN', 'EVALUATED', 'CLOSED')),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (loteria_id, scheduled_at)
    );
    -- auto-open (SCHEDULED on a CR day) and auto-close (OPEN up to now) both read by status and time.
    CREATE INDEX sorteos_status_scheduled_idx ON sorteos (status, scheduled_at) WHERE status IN ('SCHEDULED', 'OPEN');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE sorteos; DROP TABLE loterias;');
}
