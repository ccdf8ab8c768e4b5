export {
  InMemoryLoteriaRepository,
  InMemorySorteoRepository,
  InMemorySorteosStore,
  createInMemorySorteos,
  inMemorySorteosHarness,
} from './in-memory-sorteos';
export type { InMemorySorteos, StoredLoteria, StoredSorteo, StoredTicket } from './in-memory-sorteos';
export { sorteoPortsContract } from './sorteos.contract';
export type { GivenLoteria, GivenSorteo, GivenTicket, SorteoRow, SorteosContractHarness } from './sorteos-contract.harness';
