import { cronRunContract } from './cron-runs.contract';
import { InMemoryCronRunRepository } from './in-memory-cron-runs';

cronRunContract('InMemoryCronRunRepository (the reference)', async () => ({ repository: new InMemoryCronRunRepository(), close: async () => {} }));
