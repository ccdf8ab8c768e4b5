import type { ClosingReadRepository } from '../../closing/closing-reads.ports';
import type { GivenClosingRow } from '../reconciliation/reconciliation-contract.harness';
import type { BancaFixtures } from '../settlement/banca-fixtures';

/** A month balance as stored, and who closed it when (default: 2025-03-01T08:00:00Z, nobody). */
export interface GivenClosingEntry extends GivenClosingRow {
  closedAt?: Date;
  closedBy?: string | null;
}

/** What an adapter hands the closing-reads contract: its port over an empty store, and writers of what it reads. */
export interface ClosingReadsContractHarness extends BancaFixtures {
  closingReads: ClosingReadRepository;
  givenClosingRow(input: GivenClosingEntry): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_CLOSED_AT = new Date('2025-03-01T08:00:00.000Z');
