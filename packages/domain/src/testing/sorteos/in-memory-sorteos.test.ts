import { inMemorySorteosHarness } from './in-memory-sorteos';
import { sorteoPortsContract } from './sorteos.contract';

sorteoPortsContract('in-memory', inMemorySorteosHarness);
