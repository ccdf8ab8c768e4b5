import { allowancePortsContract } from './allowance.contract';
import { inMemoryAllowanceHarness } from './allowance-harness';

allowancePortsContract('in memory', async () => inMemoryAllowanceHarness());
