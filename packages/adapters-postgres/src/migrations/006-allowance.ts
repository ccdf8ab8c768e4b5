import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** Guardians, juniors, accounts, transactions and the allowance schedules and credits (docs/architecture.md, Allowance). */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE guardians (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE juniors (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      guardian_id uuid NOT NULL REFERENCES guardians (id),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (id, guardian_id)
    );
    CREATE INDEX juniors_guardian_idx ON juniors (guardian_id);

    -- One account per guardian or junior; a balance can never go negative.
    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      guardian_id uuid UNIQUE REFERENCES guardians (id),
      junior_id uuid UNIQUE REFERENCES juniors (id),
      balance numeric(14,2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((guardian_id IS NULL) <> (junior_id IS NULL))
    );

    CREATE TABLE transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      from_account_id uuid NOT NULL REFERENCES accounts (id),
      to_account_id uuid NOT NULL REFERENCES accounts (id),
      amount numeric(14,2) NOT NULL CHECK (amount > 0),
      kind text NOT NULL CHECK (kind IN ('ALLOWANCE')),
      reference text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (from_account_id <> to_account_id),
      UNIQUE (kind, reference)
    );

    CREATE TABLE allowance_schedules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      guardian_id uuid NOT NULL REFERENCES guardians (id),
      junior_id uuid NOT NULL,
      amount numeric(14,2) NOT NULL CHECK (amount > 0),
      frequency text NOT NULL CHECK (frequency IN ('DAILY', 'WEEKLY', 'MONTHLY')),
      status text NOT NULL CHECK (status IN ('ON', 'OFF')),
      anchor_at timestamptz NOT NULL,
      next_run_at timestamptz NOT NULL,
      last_run_at timestamptz,
      lease_until timestamptz,
      last_failure_at timestamptz,
      last_failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- Deleting a schedule keeps it, and its credits, for the money audit; it just stops being live.
      deleted_at timestamptz,
      -- The junior must belong to the schedule's guardian.
      FOREIGN KEY (junior_id, guardian_id) REFERENCES juniors (id, guardian_id),
      CHECK (next_run_at >= anchor_at)
    );
    CREATE UNIQUE INDEX allowance_schedules_pair_key ON allowance_schedules (guardian_id, junior_id) WHERE deleted_at IS NULL;
    -- The producer pages due schedules by (next_run_at, id).
    CREATE INDEX allowance_schedules_due_idx ON allowance_schedules (next_run_at, id) WHERE status = 'ON' AND deleted_at IS NULL;

    CREATE TABLE allowance_credits (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      schedule_id uuid NOT NULL REFERENCES allowance_schedules (id),
      transaction_id uuid NOT NULL UNIQUE REFERENCES transactions (id),
      amount numeric(14,2) NOT NULL CHECK (amount > 0),
      run_at timestamptz NOT NULL,
      credited_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (schedule_id, run_at)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP TABLE allowance_credits; DROP TABLE allowance_schedules; DROP TABLE transactions;
    DROP TABLE accounts; DROP TABLE juniors; DROP TABLE guardians;
  `);
}
