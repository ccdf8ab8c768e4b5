import { allowanceMessageId, Money } from '@banca/domain';
import {
  type AllowanceCreditRequest,
  type AllowanceCreditResult,
  type AllowanceLedger,
  type AllowanceRunFailure,
} from '@banca/domain/ports';
import type { Knex } from 'knex';
import { isUuid } from './allowance-schedule.row';

/** The SQLSTATEs allowance_credit_run (migration 017) raises, undoing the whole credit. */
const INSUFFICIENT_FUNDS = 'BJ001';
const SCHEDULE_NOT_LIVE = 'BJ002';
const SCHEDULE_CHANGED = 'BJ003';

type Rows<T> = { rows: T[] };

/**
 * Each credit is one call of allowance_credit_run (migration 017), one statement and so one
 * transaction (docs/architecture.md, Allowance): the whole credit happens, or none of it.
 */
export class KnexAllowanceLedger implements AllowanceLedger {
  constructor(private readonly db: Knex) {}

  async creditRun(request: AllowanceCreditRequest): Promise<AllowanceCreditResult> {
    if (!isUuid(request.scheduleId)) return { outcome: 'not_live' };
    // Stored guardians and juniors are uuids: other ids are other terms.
    if (!isUuid(request.guardianId) || !isUuid(request.juniorId)) return (await this.isLive(request.scheduleId)) ? { outcome: 'changed' } : { outcome: 'not_live' };
    const amount = Money.parsePositive(request.amount).toString();
    try {
      const { rows } = await this.db.raw<Rows<{ transaction_id: string | null }>>(
        'SELECT allowance_credit_run(?::uuid, ?::uuid, ?::uuid, ?::numeric, ?::text, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::text) AS transaction_id',
        [
          request.scheduleId,
          request.guardianId,
          request.juniorId,
          amount,
          request.frequency,
          request.anchorAt,
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
      if (code === SCHEDULE_CHANGED) return { outcome: 'changed' };
      throw error;
    }
  }

  private async isLive(scheduleId: string): Promise<boolean> {
    const { rows } = await this.db.raw<Rows<unknown>>(`SELECT 1 FROM allowance_schedules WHERE id = ? AND status = 'ON' AND deleted_at IS NULL`, [scheduleId]);
    return rows.length > 0;
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
