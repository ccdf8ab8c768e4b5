import { closingRowOf, type ReconciliationContractHarness } from '@banca/domain/testing';
import type { MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from '../settlement/banca-fixtures.test-helpers';
import { insertStatement } from '../settlement/settlement.test-helpers';
import { KnexReconciliationRepository } from './knex-reconciliation.repository';

/** The reconciliation contract harness over a migrated database of the test's own. */
export function knexReconciliationHarness(database: MigratedDatabase): ReconciliationContractHarness {
  const db = database.knex;
  return {
    ...knexBancaFixtures(db),
    reconciliation: new KnexReconciliationRepository(db),
    givenStatement: (input) => insertStatement(db, input),
    givenClosingRow: async (input) => {
      const row = closingRowOf(input);
      await db('monthly_closing_balances').insert({
        closing_month: row.month, dimension: row.dimension, entity_id: row.entityId, banca_id: input.bancaId,
        ticket_count: row.ticketCount, total_sales: row.totalSales, total_payouts: row.totalPayouts, total_commissions: row.totalCommissions,
        net_balance: row.netBalance, total_paid: row.totalPaid, total_collected: row.totalCollected,
        opening_balance: row.openingBalance, remaining_balance: row.remainingBalance,
      });
    },
    close: () => database.close(),
  };
}
