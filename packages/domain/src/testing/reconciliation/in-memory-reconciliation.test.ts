import { inMemoryReconciliationHarness } from './in-memory-reconciliation';
import { reconciliationContract } from './reconciliation.contract';

reconciliationContract('in-memory', inMemoryReconciliationHarness);
