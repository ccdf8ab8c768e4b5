import type { ClosingDimension } from '../../closing/month-balance';
import type { ReconciliationRepository } from '../../reconciliation/reconciliation.ports';
import type { BancaFixtures } from '../settlement/banca-fixtures';
import type { GivenStatement } from '../settlement/settlement-contract.harness';

/**
 * A month balance as stored. Defaults: amounts 0.00, no tickets; net and remaining are derived
 * (remaining = opening + net − collected + paid), as the table's checks require.
 */
export interface GivenClosingRow {
  month: string;
  dimension: ClosingDimension;
  entityId: string;
  bancaId: string;
  openingBalance?: string;
  ticketCount?: number;
  totalSales?: string;
  totalPayouts?: string;
  totalCommissions?: string;
  totalPaid?: string;
  totalCollected?: string;
}

/** What an adapter hands the reconciliation contract: its port over an empty store, and writers of the books it reads. */
export interface ReconciliationContractHarness extends BancaFixtures {
  reconciliation: ReconciliationRepository;
  givenStatement(input: GivenStatement): Promise<string>;
  givenClosingRow(input: GivenClosingRow): Promise<void>;
  close(): Promise<void>;
}
