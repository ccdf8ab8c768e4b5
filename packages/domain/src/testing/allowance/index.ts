export { allowancePortsContract } from './allowance.contract';
export { type AllowanceHarness, inMemoryAllowanceHarness } from './allowance-harness';
export { CONTRACT_ANCHOR, creditRequest, givenSchedule, type GivenSchedule } from './allowance-fixtures';
export {
  type AllowanceCreditRecord,
  type AllowanceTransactionRecord,
  InMemoryAllowance,
} from './in-memory-allowance';
export { InMemoryAllowanceQueue } from './in-memory-allowance-queue';
export { allowanceWorld, T0 as ALLOWANCE_WORLD_T0 } from './allowance-world';
export { allowanceTransportContract } from './allowance-transport.contract';
export type { TransportHarness } from './allowance-transport.contract';
export { InMemoryDeadLetters } from './in-memory-dead-letters';
export { deadLetterStoreContract, malformedDeadLetter, runDeadLetter } from './dead-letter-store.contract';
export type { DeadLetterStoreHarness } from './dead-letter-store.contract';
