import { inMemoryStatementChainHarness } from './in-memory-statement-chain-reads';
import { statementChainReadsContract } from './statement-chain-reads.contract';

statementChainReadsContract('in memory', inMemoryStatementChainHarness);
