import { inMemoryMonthlyClosingHarness } from './in-memory-monthly-closing';
import { monthlyClosingContract } from './monthly-closing.contract';

monthlyClosingContract('in-memory', inMemoryMonthlyClosingHarness);
