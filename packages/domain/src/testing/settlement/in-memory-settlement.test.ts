import { inMemorySettlementHarness } from './in-memory-settlement';
import { settlementPortsContract } from './settlement.contract';

settlementPortsContract('in-memory', inMemorySettlementHarness);
