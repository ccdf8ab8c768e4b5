import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * A run's credit in one call, so the worker pays one round trip for it instead of a transaction of
 * six (docs/architecture.md, Allowance). The writes and their guards are those of a credit
 * transaction: the unique (schedule_id, run_at) credit row first (a run already credited, or being
 * credited by a concurrent call, which this one waits for, inserts nothing: 'duplicate'); then the
 * schedule moves forward only while ON and not deleted; the guardian's debit only where the balance
 * covers it; the junior's credit. A failed guard raises, which undoes the whole call: BJ001 for
 * insufficient funds, BJ002 for a schedule no longer live.
 */
export async function up(knex: Knex): Promise<void> {
  // One statement whose body holds semicolons: run whole, not split by runSql.
  await knex.raw(`
    CREATE FUNCTION allowance_credit_run(
      p_schedule_id uuid, p_guardian_id uuid, p_junior_id uuid, p_amount numeric,
      p_run_at timestamptz, p_next_run_at timestamptz, p_credited_at timestamptz, p_reference text
    ) RETURNS uuid LANGUAGE plpgsql AS $$
    DECLARE
      v_transaction_id uuid;
    BEGIN
      WITH credit AS (
        INSERT INTO allowance_credits (schedule_id, transaction_id, amount, run_at, credited_at)
        VALUES (p_schedule_id, gen_random_uuid(), p_amount, p_run_at, p_credited_at)
        ON CONFLICT (schedule_id, run_at) DO NOTHING
        RETURNING transaction_id, amount
      )
      INSERT INTO transactions (id, from_account_id, to_account_id, amount, kind, reference, created_at)
      SELECT credit.transaction_id, payer.id, payee.id, credit.amount, 'ALLOWANCE', p_reference, p_credited_at
      FROM credit
      JOIN accounts AS payer ON payer.guardian_id = p_guardian_id
      JOIN accounts AS payee ON payee.junior_id = p_junior_id
      RETURNING id INTO v_transaction_id;
      IF v_transaction_id IS NULL THEN
        RETURN NULL;
      END IF;

      UPDATE allowance_schedules
      SET last_run_at = greatest(last_run_at, p_run_at), next_run_at = greatest(next_run_at, p_next_run_at)
      WHERE id = p_schedule_id AND guardian_id = p_guardian_id AND junior_id = p_junior_id AND status = 'ON' AND deleted_at IS NULL;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'schedule % is not live', p_schedule_id USING ERRCODE = 'BJ002';
      END IF;

      UPDATE accounts SET balance = balance - p_amount, updated_at = p_credited_at
      WHERE guardian_id = p_guardian_id AND balance >= p_amount;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'guardian % cannot cover %', p_guardian_id, p_amount USING ERRCODE = 'BJ001';
      END IF;

      UPDATE accounts SET balance = balance + p_amount, updated_at = p_credited_at WHERE junior_id = p_junior_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'junior % has no account', p_junior_id;
      END IF;
      RETURN v_transaction_id;
    END
    $$
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP FUNCTION allowance_credit_run(uuid, uuid, uuid, numeric, timestamptz, timestamptz, timestamptz, text);
  `);
}
