import type { AccountIds } from '../../settlement/account-entity';
import type { SettlementConfigRepository, StatementRepository } from '../../settlement/settlement.ports';
import type { BancaFixtures } from './banca-fixtures';

/**
 * An account statement as stored. Defaults: zero activity, balance = sales − payouts − commissions,
 * remainingBalance = balance − collected + paid, not settled, editable.
 */
export interface GivenStatement extends AccountIds {
  date: string;
  ticketCount?: number;
  totalSales?: string;
  totalPayouts?: string;
  totalCommissions?: string;
  balance?: string;
  totalPaid?: string;
  totalCollected?: string;
  remainingBalance?: string;
  isSettled?: boolean;
  canEdit?: boolean;
  settledAt?: Date | null;
  settledBy?: string | null;
}

/** Every amount a two-decimal string; dates `YYYY-MM-DD`. */
export interface StatementRow {
  id: string;
  vendedorId: string | null;
  ventanaId: string | null;
  bancaId: string;
  date: string;
  ticketCount: number;
  totalSales: string;
  totalPayouts: string;
  totalCommissions: string;
  balance: string;
  totalPaid: string;
  totalCollected: string;
  remainingBalance: string;
  isSettled: boolean;
  canEdit: boolean;
  settledAt: Date | null;
  settledBy: string | null;
}

/**
 * What an adapter hands the settlement contract: its ports over an empty, isolated store plus
 * technology-neutral fixture writers and readers. Ids are strings.
 */
export interface SettlementContractHarness extends BancaFixtures {
  configRepository: SettlementConfigRepository;
  statementRepository: StatementRepository;
  /** A user who may appear as settled_by. */
  givenUser(): Promise<string>;
  /** Who saved the settlement configuration last (its updated_by). */
  configUpdatedBy(): Promise<string | null>;
  givenStatement(input: GivenStatement): Promise<string>;
  /** Every stored statement, in any order. */
  statements(): Promise<StatementRow[]>;
  /** Releases what the harness opened (connections, schemas). */
  close(): Promise<void>;
}
