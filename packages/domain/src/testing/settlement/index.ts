export { InMemoryBancaData } from './banca-fixtures';
export type { BancaFixtures, GivenBanca, GivenMovement, GivenVendedor, GivenVentana } from './banca-fixtures';
export type { GivenStatement, SettlementContractHarness, StatementRow } from './settlement-contract.harness';
export { InMemorySettlementConfigRepository, InMemoryStatementRepository, inMemorySettlementHarness } from './in-memory-settlement';
export { settlementPortsContract } from './settlement.contract';
