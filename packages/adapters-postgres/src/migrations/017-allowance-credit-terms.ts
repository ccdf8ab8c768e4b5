import type { Knex } from 'knex';
import { up as createCreditWithoutTerms } from './016-allowance-credit-function';
import { runSql } from './run-sql';

/**
 * allowance_credit_run takes the schedule's terms the run was checked against (frequency and anchor,
 * besides guardian, junior and amount) and credits only while the stored schedule still has them all,
 * so the worker needs no read of the schedule before a credit (docs/architecture.md, Allowance). The
 * accounts moved are always the stored schedule's. When the guard on the schedule fails, BJ002 says the schedule is missing, deleted or OFF, BJ003 that it is
 * live with other terms; either undoes the whole call.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP FUNCTION allowance_credit_run(uuid, uuid, uuid, numeric, timestamptz, timestamptz, timestamptz, text);
  `);
  // One statement whose body holds semicolons: run whole, not split by runSql.
  await knex.raw(`
    CREATE FUNCTION allowance_credit_run(
      p_schedule_id uuid, p_guardian_id uuid, p_junior_id uuid, p_amount numeric, p_frequency text, p_anchor_at timestamptz,
      p_run_at timestamptz, p_next_run_at timestamptz, p_credited_at timestamptz, p_reference text
    ) RETURNS uuid LANGUAGE plpgsql AS $$
    DECLARE
      v_transaction_id uuid;
      v_guardian_id uuid;
      v_junior_id uuid;
    BEGIN
      -- The accounts are the stored schedule's, whatever the caller believes them to be.
      SELECT guardian_id, junior_id INTO v_guardian_id, v_junior_id FROM allowance_schedules WHERE id = p_schedule_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'schedule % does not exist', p_schedule_id USING ERRCODE = 'BJ002';
      END IF;

      WITH credit AS (
        INSERT INTO allowance_credits (schedule_id, transaction_id, amount, run_at, credited_at)
        VALUES (p_schedule_id, gen_random_uuid(), p_amount, p_run_at, p_credited_at)
        ON CONFLICT (schedule_id, run_at) DO NOTHING
        RETURNING transaction_id, amount
      )
      INSERT INTO transactions (id, from_account_id, to_account_id, amount, kind, reference, created_at)
      SELECT credit.transaction_id, payer.id, payee.id, credit.amount, 'ALLOWANCE', p_reference, p_credited_at
      FROM credit
      JOIN accounts AS payer ON payer.guardian_id = v_guardian_id
      JOIN accounts AS payee ON payee.junior_id = v_junior_id
      RETURNING id INTO v_transaction_id;
      IF v_transaction_id IS NULL THEN
        RETURN NULL;
      END IF;

      UPDATE allowance_schedules
      SET last_run_at = greatest(last_run_at, p_run_at), next_run_at = greatest(next_run_at, p_next_run_at)
      WHERE id = p_schedule_id AND status = 'ON' AND deleted_at IS NULL
        AND guardian_id = p_guardian_id AND junior_id = p_junior_id
        AND amount = p_amount AND frequency = p_frequency AND anchor_at = p_anchor_at;
      IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM allowance_schedules WHERE id = p_schedule_id AND status = 'ON' AND deleted_at IS NULL) THEN
          RAISE EXCEPTION 'schedule % has other terms', p_schedule_id USING ERRCODE = 'BJ003';
        END IF;
        RAISE EXCEPTION 'schedule % is not live', p_schedule_id USING ERRCODE = 'BJ002';
      END IF;

      UPDATE accounts SET balance = balance - p_amount, updated_at = p_credited_at
      WHERE guardian_id = v_guardian_id AND balance >= p_amount;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'guardian % cannot cover %', v_guardian_id, p_amount USING ERRCODE = 'BJ001';
      END IF;

      UPDATE accounts SET balance = balance + p_amount, updated_at = p_credited_at WHERE junior_id = v_junior_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'junior % has no account', v_junior_id;
      END IF;
      RETURN v_transaction_id;
    END
    $$
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP FUNCTION allowance_credit_run(uuid, uuid, uuid, numeric, text, timestamptz, timestamptz, timestamptz, timestamptz, text);
  `);
  await createCreditWithoutTerms(knex);
}
