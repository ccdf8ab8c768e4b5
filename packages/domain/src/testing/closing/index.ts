export type { ClosingRow, GivenClosingTicket, MonthlyClosingContractHarness } from './closing-contract.harness';
export { InMemoryMonthlyClosingRepository, inMemoryMonthlyClosingHarness } from './in-memory-monthly-closing';
export { monthlyClosingContract } from './monthly-closing.contract';
