import type { Knex } from 'knex';
import { assertEligibleCountLimit } from '@banca/domain';
import type { CarryForwardResult, SettleBatchResult, SettleEligibleCommand, StatementRepository } from '@banca/domain/ports';
import { advisoryLockKey } from '../jobs/advisory-lock-key';
import { CARRY_FORWARD_SQL } from './carry-forward.sql';
import { BOUNDED_COUNT_PLAN, COUNT_ELIGIBLE_SQL, COUNT_ELIGIBLE_UP_TO_SQL, SETTLE_ELIGIBLE_SQL } from './settle-eligible.sql';

/**
 * Writers of the settlement chain take this transaction-scoped lock first, so the statement that
 * follows reads every chain after the previous writer committed: two settlements (or a settlement
 * and a carry-forward) run one batch after the other instead of computing from each other's stale
 * figures. It lives in the database, apart from the job lock, and ends with the transaction.
 */
const SETTLEMENT_CHAIN_LOCK = advisoryLockKey('statements', 'banca-jobs:settlement-chain');

/** Account statements on PostgreSQL, each batch one set-based statement (see settle-eligible.sql.ts). */
export class KnexStatementRepository implements StatementRepository {
  constructor(private readonly db: Knex) {}

  async countEligible(cutoff: string, atMost?: number): Promise<number> {
    if (atMost === undefined) {
      const { rows } = await this.db.raw(COUNT_ELIGIBLE_SQL, [cutoff, cutoff]);
      return rows[0].eligible as number;
    }
    assertEligibleCountLimit(atMost);
    // The plan's settings are the count's alone: its transaction, a savepoint when this repository works inside a
    // caller's transaction, is rolled back once the count is read, and that undoes them in both cases.
    const trx = await this.db.transaction();
    try {
      await trx.raw(BOUNDED_COUNT_PLAN);
      const { rows } = await trx.raw(COUNT_ELIGIBLE_UP_TO_SQL, [cutoff, atMost, cutoff, atMost, atMost]);
      return rows[0].eligible as number;
    } finally {
      await trx.rollback();
    }
  }

  async settleEligible(command: SettleEligibleCommand): Promise<SettleBatchResult> {
    const settledAt = command.settledAt.toISOString();
    const { rows } = await this.withChainLock((trx) =>
      trx.raw(SETTLE_ELIGIBLE_SQL, [
        command.cutoff, command.batchSize, command.cutoff, command.batchSize, command.batchSize, settledAt, command.settledBy, settledAt, command.settledBy,
      ]),
    );
    const { picked, settled } = rows[0] as { picked: number; settled: number };
    // A statement fails as a whole, so no row is ever counted as an error: a failure is thrown.
    return { settledCount: settled, skippedCount: picked - settled, errorCount: 0 };
  }

  async carryForward({ today }: { today: string }): Promise<CarryForwardResult> {
    const { rows } = await this.withChainLock((trx) => trx.raw(CARRY_FORWARD_SQL, [today, today]));
    const { candidates, created } = rows[0] as { candidates: number; created: number };
    return { createdCount: created, skippedCount: candidates - created, errorCount: 0 };
  }

  private withChainLock<T>(write: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?::bigint)', [SETTLEMENT_CHAIN_LOCK]);
      return write(trx);
    });
  }
}
