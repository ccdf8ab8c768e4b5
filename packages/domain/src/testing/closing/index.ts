export type { ClosingRow, GivenClosingTicket, MonthlyClosingContractHarness } from './closing-contract.harness';
export { InMemoryMonthlyClosingRepository, inMemoryMonthlyClosingHarness } from './in-memory-monthly-closing';
export { monthlyClosingContract } from './monthly-closing.contract';
export { DEFAULT_CLOSED_AT } from './closing-reads-contract.harness';
export type { ClosingReadsContractHarness, GivenClosingEntry } from './closing-reads-contract.harness';
export { InMemoryClosingReads, inMemoryClosingReadsHarness } from './in-memory-closing-reads';
export { closingReadsContract } from './closing-reads.contract';
