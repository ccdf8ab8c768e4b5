import { expect } from 'chai';
import type { JobLock } from '../../kernel/job-lock.port';

export interface JobLockContractHarness {
  lock: JobLock;
  /** A second, independent client of the same lock service (another process, in effect). */
  otherClient: JobLock;
  /** Whether a held lock expires after its TTL (Redis) or lives as long as its owner's session (advisory locks). */
  expires: boolean;
  close(): Promise<void>;
}

/** What every JobLock adapter must do (docs/architecture.md, Running the jobs); run it against each implementation. */
export function jobLockContract(name: string, makeHarness: () => Promise<JobLockContractHarness>): void {
  describe(`JobLock contract: ${name}`, () => {
    let harness: JobLockContractHarness;
    let seq = 0;
    const lockName = () => `contract-${process.pid}-${Date.now()}-${++seq}`;

    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(() => harness.close());

    it('lets one owner in at a time, across clients, until it releases', async () => {
      const job = lockName();
      const first = await harness.lock.tryAcquire(job, 10_000);
      expect(first, 'first acquire').to.not.equal(null);
      expect(await harness.lock.tryAcquire(job, 10_000), 'same client').to.equal(null);
      expect(await harness.otherClient.tryAcquire(job, 10_000), 'other client').to.equal(null);
      expect(await first!.release()).to.equal(true);
      const second = await harness.otherClient.tryAcquire(job, 10_000);
      expect(second, 'after release').to.not.equal(null);
      await second!.release();
    });

    it('keeps different jobs apart', async () => {
      const a = await harness.lock.tryAcquire(lockName(), 10_000);
      const b = await harness.otherClient.tryAcquire(lockName(), 10_000);
      expect(a).to.not.equal(null);
      expect(b).to.not.equal(null);
      await a!.release();
      await b!.release();
    });

    it('releases only once', async () => {
      const held = await harness.lock.tryAcquire(lockName(), 10_000);
      expect(await held!.release()).to.equal(true);
      expect(await held!.release()).to.equal(false);
    });

    it('gives exactly one winner among concurrent contenders', async () => {
      const job = lockName();
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? harness.lock : harness.otherClient).tryAcquire(job, 10_000)),
      );
      const winners = attempts.filter((held) => held !== null);
      expect(winners).to.have.length(1);
      await winners[0]!.release();
    });

    it('never lets a stale owner release the lock of the next owner', async function () {
      if (!harness.expires) this.skip();
      const job = lockName();
      const stale = await harness.lock.tryAcquire(job, 50);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const current = await harness.otherClient.tryAcquire(job, 10_000);
      expect(current, 'acquire after expiry').to.not.equal(null);
      expect(await stale!.release()).to.equal(false);
      expect(await harness.lock.tryAcquire(job, 10_000), 'still held by the new owner').to.equal(null);
      await current!.release();
    });
  });
}
