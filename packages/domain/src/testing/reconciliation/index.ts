export { InMemoryReconciliation, closingRowOf, inMemoryReconciliationHarness } from './in-memory-reconciliation';
export type { InMemoryBooks } from './in-memory-reconciliation';
export type { GivenClosingRow, ReconciliationContractHarness } from './reconciliation-contract.harness';
export { reconciliationContract } from './reconciliation.contract';
