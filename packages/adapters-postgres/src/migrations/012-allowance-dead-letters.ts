import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * Every dead-lettered allowance message, recorded from the DLQ (docs/architecture.md, Allowance: dead
 * letters): the operator's view, replayed or purged from here. One open row per message key, so a
 * message taken from the DLQ twice is recorded once; `seq` orders rows as recorded, so a replay of all
 * takes only those recorded before it began. The checks keep each status's columns whole.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE allowance_dead_letters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      message_key text NOT NULL CHECK (length(message_key) BETWEEN 1 AND 400),
      message_id text CHECK (length(message_id) <= 255),
      schedule_id text CHECK (schedule_id ~ '^[A-Za-z0-9_-]{1,64}$'),
      run_at timestamptz,
      reason_code text NOT NULL CHECK (length(reason_code) <= 64 AND reason_code ~ '^[A-Z][A-Z0-9_]*([.][A-Z][A-Z0-9_]*){0,1}$'),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
      attempts integer NOT NULL CHECK (attempts >= 0),
      raw_body text CHECK (length(raw_body) <= 4096),
      dead_lettered_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replaying', 'replayed', 'purged')),
      replay_request_id text CHECK (length(replay_request_id) <= 64),
      replay_claimed_at timestamptz,
      replayed_at timestamptz,
      replayed_by text CHECK (length(replayed_by) BETWEEN 1 AND 128),
      purged_at timestamptz,
      purged_by text CHECK (length(purged_by) BETWEEN 1 AND 128),
      purge_reason text CHECK (length(purge_reason) BETWEEN 1 AND 500),
      -- No "?" anywhere: knex would take it for a binding. A run names its schedule and occurrence; a malformed message names neither and keeps its body.
      CHECK ((schedule_id IS NULL) = (run_at IS NULL)),
      CHECK (schedule_id IS NOT NULL OR raw_body IS NOT NULL),
      CHECK (CASE status
        WHEN 'open' THEN replay_request_id IS NULL AND replay_claimed_at IS NULL AND replayed_at IS NULL AND purged_at IS NULL
        WHEN 'replaying' THEN replay_request_id IS NOT NULL AND replay_claimed_at IS NOT NULL AND schedule_id IS NOT NULL AND replayed_at IS NULL AND purged_at IS NULL
        WHEN 'replayed' THEN replay_request_id IS NOT NULL AND replayed_at IS NOT NULL AND replayed_by IS NOT NULL AND purged_at IS NULL
        ELSE purged_at IS NOT NULL AND purged_by IS NOT NULL AND purge_reason IS NOT NULL AND replayed_at IS NULL
      END)
    );
    -- Recording the same dead letter twice is a no-op while it is open.
    CREATE UNIQUE INDEX allowance_dead_letters_open_key ON allowance_dead_letters (message_key) WHERE status = 'open';
    -- The list: newest first, ties by id, by status (open by default), or all, by schedule or by reason code.
    CREATE INDEX allowance_dead_letters_status_idx ON allowance_dead_letters (status, dead_lettered_at DESC, id DESC);
    CREATE INDEX allowance_dead_letters_order_idx ON allowance_dead_letters (dead_lettered_at DESC, id DESC);
    CREATE INDEX allowance_dead_letters_schedule_idx ON allowance_dead_letters (schedule_id, dead_lettered_at DESC, id DESC) WHERE schedule_id IS NOT NULL;
    CREATE INDEX allowance_dead_letters_reason_idx ON allowance_dead_letters (reason_code, dead_lettered_at DESC, id DESC);
    -- A replay of all: the replayable rows in the order they were recorded.
    CREATE INDEX allowance_dead_letters_replay_idx ON allowance_dead_letters (seq) WHERE status IN ('open', 'replaying') AND schedule_id IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE allowance_dead_letters;');
}
