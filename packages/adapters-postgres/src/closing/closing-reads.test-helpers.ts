import type { ClosingReadsContractHarness } from '@banca/domain/testing';
import { closingRowOf, DEFAULT_CLOSED_AT } from '@banca/domain/testing';
import type { MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from '../settlement/banca-fixtures.test-helpers';
import { KnexClosingReadRepository } from './knex-closing-reads.repository';

/** The closing-reads contract harness over a migrated database of the test's own. */
export function knexClosingReadsHarness(database: MigratedDatabase): ClosingReadsContractHarness {
  const db = database.knex;
  return {
    ...knexBancaFixtures(db),
    closingReads: new KnexClosingReadRepository(db),
    givenClosingRow: async (input) => {
      const row = closingRowOf(input);
      await db('monthly_closing_balances').insert({
        closing_month: row.month, dimension: row.dimension, entity_id: row.entityId, banca_id: input.bancaId,
        ticket_count: row.ticketCount, total_sales: row.totalSales, total_payouts: row.totalPayouts, total_commissions: row.totalCommissions,
        net_balance: row.netBalance, total_paid: row.totalPaid, total_collected: row.totalCollected,
        opening_balance: row.openingBalance, remaining_balance: row.remainingBalance,
        closed_at: input.closedAt ?? DEFAULT_CLOSED_AT, closed_by: input.closedBy ?? null,
      });
    },
    close: () => database.close(),
  };
}
