import { jobLockContract } from '@banca/domain/testing';
import { InProcessJobLock } from './in-process-job-lock';

jobLockContract('InProcessJobLock (the embedded default)', async () => {
  const lock = new InProcessJobLock();
  return { lock, otherClient: lock, expires: false, close: async () => undefined };
});
