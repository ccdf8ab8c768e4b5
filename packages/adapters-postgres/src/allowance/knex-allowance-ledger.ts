import { allowanceMessageId, Money } from '@banca/domain';
import {
  type AllowanceCreditRequest,
  type AllowanceCreditResult,
  type AllowanceLedger,
  type AllowanceRunFailure,
} from '@banca/domain/ports';
import type { Knex } from 'knex';
import { isUuid } from './allowance-schedule.row';

/** Thrown inside the transaction to roll back everything written so far. */
class InsufficientFunds extends Error {}
class ScheduleNotLive extends Error {}

type Rows<T> = { rows: T[] };

/** Each call is one database transaction (docs/architecture.md, Allowance): the whole credit happens, or none of it. */
export class KnexAllowanceLedger implements AllowanceLedger {
  constructor(private readonly db: Knex) {}

  async creditRun(request: AllowanceCreditRequest): Promise<AllowanceCreditResult> {
    if (!isUuid(request.scheduleId) || !isUuid(request.guardianId) || !isUuid(request.juniorId)) {
      throw new Error(`creditRun: no schedule ${request.scheduleId} of guardian ${request.guardianId} and junior ${request.juniorId}`);
    }
    const amount = Money.parsePositive(request.amount).toString();
    try {
      return await this.db.transaction(async (trx) => {
        const transactionId = await insertCreditAndTransaction(trx, request, amount);
        if (transactionId === null) return { outcome: 'duplicate' } as const;
        await moveScheduleOn(trx, request);
        await moveMoney(trx, request, amount);
        return { outcome: 'credited', transactionId } as const;
      });
    } catch (error) {
      if (error instanceof InsufficientFunds) return { outcome: 'insufficient_funds' };
      if (error instanceof ScheduleNotLive) return { outcome: 'not_live' };
      throw error;
    }
  }

  async recordRunFailure(failure: AllowanceRunFailure): Promise<void> {
    if (!isUuid(failure.scheduleId)) return;
    await this.db.raw(
      `UPDATE allowance_schedules
       SET last_failed_run_at = ?, last_failure_at = ?, last_failure_reason = ?,
           next_run_at = greatest(next_run_at, ?)
       WHERE id = ? AND deleted_at IS NULL`,
      [failure.runAt, failure.failedAt, failure.reason, failure.nextRunAt, failure.scheduleId],
    );
  }
}

/**
 * The credit row is the guard: (schedule_id, run_at) is unique, so a run already credited, or being
 * credited by a concurrent transaction (which this one then waits for), inserts nothing and gets no
 * transaction either. Both rows go in one statement because the credit references its transaction and
 * the key is checked at the end of the statement. Null means a duplicate.
 */
async function insertCreditAndTransaction(trx: Knex.Transaction, request: AllowanceCreditRequest, amount: string): Promise<string | null> {
  const { rows } = await trx.raw<Rows<{ id: string }>>(
    `WITH credit AS (
       INSERT INTO allowance_credits (schedule_id, transaction_id, amount, run_at, credited_at)
       VALUES (?, gen_random_uuid(), ?::numeric, ?, ?)
       ON CONFLICT (schedule_id, run_at) DO NOTHING
       RETURNING transaction_id, amount
     )
     INSERT INTO transactions (id, from_account_id, to_account_id, amount, kind, reference, created_at)
     SELECT credit.transaction_id, payer.id, payee.id, credit.amount, 'ALLOWANCE', ?, ?
     FROM credit
     JOIN accounts AS payer ON payer.guardian_id = ?
     JOIN accounts AS payee ON payee.junior_id = ?
     RETURNING id`,
    [
      request.scheduleId,
      amount,
      request.runAt,
      request.creditedAt,
      allowanceMessageId(request.scheduleId, request.runAt),
      request.creditedAt,
      request.guardianId,
      request.juniorId,
    ],
  );
  return rows[0]?.id ?? null;
}

/** The debit is guarded in the database, so concurrent credits can never overdraw the guardian. */
async function moveMoney(trx: Knex.Transaction, request: AllowanceCreditRequest, amount: string): Promise<void> {
  const debited = await trx.raw<Rows<unknown>>(
    `UPDATE accounts SET balance = balance - ?::numeric, updated_at = ?
     WHERE guardian_id = ? AND balance >= ?::numeric
     RETURNING id`,
    [amount, request.creditedAt, request.guardianId, amount],
  );
  if (debited.rows.length === 0) throw new InsufficientFunds();
  const credited = await trx.raw<Rows<unknown>>(
    'UPDATE accounts SET balance = balance + ?::numeric, updated_at = ? WHERE junior_id = ? RETURNING id',
    [amount, request.creditedAt, request.juniorId],
  );
  if (credited.rows.length === 0) throw new Error(`creditRun: junior ${request.juniorId} has no account`);
}

/**
 * Runs may be credited out of order, so the schedule only moves forward; its lease stays, spent once
 * next_run_at is past the runs it covers. The update also locks the
 * schedule and guards it: one turned OFF or deleted while its run was in flight rolls the credit back.
 */
async function moveScheduleOn(trx: Knex.Transaction, request: AllowanceCreditRequest): Promise<void> {
  const { rows } = await trx.raw<Rows<unknown>>(
    `UPDATE allowance_schedules
     SET last_run_at = greatest(last_run_at, ?), next_run_at = greatest(next_run_at, ?)
     WHERE id = ? AND guardian_id = ? AND junior_id = ? AND status = 'ON' AND deleted_at IS NULL
     RETURNING id`,
    [request.runAt, request.nextRunAt, request.scheduleId, request.guardianId, request.juniorId],
  );
  if (rows.length === 0) throw new ScheduleNotLive();
}
