import type { MonthlyClosingRepository } from '../../closing/closing.ports';
import type { ClosingDimension, MonthBalance } from '../../closing/month-balance';
import type { BancaFixtures } from '../settlement/banca-fixtures';

/**
 * A ticket as stored, with the ids of its vendedor, ventana and banca; the harness supplies
 * whatever else its storage needs (a sorteo). Defaults: status ACTIVE, amounts other than the
 * sale 0.00.
 */
export interface GivenClosingTicket {
  vendedorId: string;
  ventanaId: string;
  bancaId: string;
  businessDate: string;
  totalAmount: string;
  status?: string;
  totalPayout?: string;
  commissionAmount?: string;
  listeroCommissionAmount?: string;
}

/** A row of monthly_closing_balances; amounts are two-decimal strings. */
export interface ClosingRow extends MonthBalance {
  month: string;
  dimension: ClosingDimension;
  entityId: string;
}

/**
 * What an adapter hands the monthly-closing contract: its port over an empty, isolated store plus
 * technology-neutral fixture writers and a reader. Ids are strings.
 */
export interface MonthlyClosingContractHarness extends BancaFixtures {
  closingRepository: MonthlyClosingRepository;
  givenTicket(input: GivenClosingTicket): Promise<string>;
  /** The closing rows of a month, in any order. */
  closingRows(month: string): Promise<ClosingRow[]>;
  /** Releases what the harness opened (connections, schemas). */
  close(): Promise<void>;
}
