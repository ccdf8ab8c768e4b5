export { InMemoryBancaData } from './banca-fixtures';
export type { BancaFixtures, GivenBanca, GivenMovement, GivenVendedor, GivenVentana } from './banca-fixtures';
export type { GivenStatement, SettlementContractHarness, StatementRow } from './settlement-contract.harness';
export { InMemorySettlementConfigRepository, InMemoryStatementRepository, inMemorySettlementHarness } from './in-memory-settlement';
export { settlementPortsContract } from './settlement.contract';
export { InMemoryStatementChainReads, inMemoryStatementChainHarness } from './in-memory-statement-chain-reads';
export { statementChainReadsContract } from './statement-chain-reads.contract';
export type { StatementChainContractHarness } from './statement-chain-reads.contract';
