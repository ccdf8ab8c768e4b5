import { closingReadsContract } from './closing-reads.contract';
import { inMemoryClosingReadsHarness } from './in-memory-closing-reads';

closingReadsContract('in memory', inMemoryClosingReadsHarness);
