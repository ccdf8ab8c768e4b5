import { allowanceMessageId, Money } from '@banca/domain';
import {
  type AllowanceCreditRequest,
  type AllowanceCreditResult,
  type AllowanceLedger,
  type AllowanceRunFailure,
} from '@banca/domain/ports';
import type { Knex } from 'knex';
import { isUuid } from './allowance-schedule.row';

/** The SQLSTATEs allowance_credit_run (migration 016) raises, undoing the whole credit. */
const INSUFFICIENT_FUNDS = 'BJ001';
const SCHEDULE_NOT_LIVE = 'BJ002';

type Rows<T> = { rows: T[] };

/**
 * Each credit is one call of allowance_credit_run (migration 016), one statement and so one
 * transaction (docs/architecture.md, Allowance): the whole credit happens, or none of it.
 */
export class KnexAllowanceLedger implements AllowanceLedger {
  constructor(private readonly db: Knex) {}

  async creditRun(request: AllowanceCreditRequest): Promise<AllowanceCreditResult> {
    if (!isUuid(request.scheduleId) || !isUuid(request.guardianId) || !isUuid(request.juniorId)) {
      throw new Error(`creditRun: no schedule ${request.scheduleId} of guardian ${request.guardianId} and junior ${request.juniorId}`);
    }
    const amount = Money.parsePositive(request.amount).toString();
    try {
      const { rows } = await this.db.raw<Rows<{ transaction_id: string | null }>>(
        'SELECT allowance_credit_run(?::uuid, ?::uuid, ?::uuid, ?::numeric, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::text) AS transaction_id',
        [
          request.scheduleId,
          request.guardianId,
          request.juniorId,
          amount,
          request.runAt,
          request.nextRunAt,
          request.creditedAt,
          allowanceMessageId(request.scheduleId, request.runAt),
        ],
      );
      const transactionId = rows[0]?.transaction_id ?? null;
      return transactionId === null ? { outcome: 'duplicate' } : { outcome: 'credited', transactionId };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === INSUFFICIENT_FUNDS) return { outcome: 'insufficient_funds' };
      if (code === SCHEDULE_NOT_LIVE) return { outcome: 'not_live' };
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
