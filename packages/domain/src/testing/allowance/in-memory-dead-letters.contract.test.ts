import { deadLetterStoreContract } from './dead-letter-store.contract';
import { InMemoryDeadLetters } from './in-memory-dead-letters';

deadLetterStoreContract('in memory', async () => ({ store: new InMemoryDeadLetters(), close: async () => undefined }));
