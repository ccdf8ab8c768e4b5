import type { Knex } from 'knex';
import type { CarryForwardResult, SettleBatchResult, SettleEligibleCommand, StatementRepository } from '@banca/domain';
import { CARRY_FORWARD_SQL } from './carry-forward.sql';
import { COUNT_ELIGIBLE_SQL, SETTLE_ELIGIBLE_SQL } from './settle-eligible.sql';

/** Account statements on PostgreSQL, each method one set-based statement (design §4). */
export class KnexStatementRepository implements StatementRepository {
  constructor(private readonly db: Knex) {}

  async countEligible(cutoff: string): Promise<number> {
    const { rows } = await this.db.raw(COUNT_ELIGIBLE_SQL, [cutoff]);
    return rows[0].eligible as number;
  }

  async settleEligible(command: SettleEligibleCommand): Promise<SettleBatchResult> {
    const { rows } = await this.db.raw(SETTLE_ELIGIBLE_SQL, [
      command.cutoff,
      command.batchSize,
      command.settledAt.toISOString(),
      command.settledBy,
    ]);
    const { picked, settled } = rows[0] as { picked: number; settled: number };
    // A statement fails as a whole, so no row is ever counted as an error: a failure is thrown.
    return { settledCount: settled, skippedCount: picked - settled, errorCount: 0 };
  }

  async carryForward({ today }: { today: string }): Promise<CarryForwardResult> {
    const { rows } = await this.db.raw(CARRY_FORWARD_SQL, [today, today]);
    const { candidates, created } = rows[0] as { candidates: number; created: number };
    return { createdCount: created, skippedCount: candidates - created, errorCount: 0 };
  }
}
