import { InMemoryJobLock } from './in-memory-job-lock';
import { jobLockContract } from './job-lock.contract';

jobLockContract('in-memory', async () => {
  const lock = new InMemoryJobLock();
  return { lock, otherClient: lock, expires: true, close: async () => undefined };
});
