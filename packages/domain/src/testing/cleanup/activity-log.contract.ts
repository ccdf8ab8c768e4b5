import { expect } from 'chai';
import { cleanupActivityLogs } from '../../cleanup/cleanup-activity-logs.use-case';
import { fixedClock } from '../../kernel/clock.port';
import type { ActivityLogContractHarness } from './activity-log-contract.harness';

const CUTOFF = new Date('2025-02-01T02:00:00Z');
const ms = (offset: number) => new Date(CUTOFF.getTime() + offset);
const DAY = 86_400_000;

/**
 * The behaviour every implementation of ActivityLogRepository must show (docs/architecture.md, The banca rules). Call it from an adapter's test file; `makeHarness` gives a fresh, empty store per test.
 */
/** Calls until done; the total deleted. */
async function deleteAll(h: ActivityLogContractHarness, cutoff: Date, limit: number): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await h.activityLogRepository.deleteOlderThan(cutoff, limit);
    total += batch.deleted;
    if (batch.done) return total;
  }
}

export function activityLogContract(name: string, makeHarness: () => Promise<ActivityLogContractHarness>): void {
  describe(`activity log contract: ${name}`, () => {
    let h: ActivityLogContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h?.close();
    });

    it('deletes only logs strictly older than the cutoff', async () => {
      for (const offset of [-10 * DAY, -1, 0, 1, DAY]) await h.givenActivityLog({ createdAt: ms(offset) });
      expect(await deleteAll(h, CUTOFF, 100)).to.equal(2);
      expect(await h.activityLogCount()).to.equal(3);
      expect(await deleteAll(h, ms(1), 100)).to.equal(1);
      expect(await h.activityLogCount()).to.equal(2);
    });

    it('deletes at most the limit per call, and is done only once nothing old is left', async () => {
      for (let i = 1; i <= 5; i += 1) await h.givenActivityLog({ createdAt: ms(-i * DAY) });
      await h.givenActivityLog({ createdAt: ms(DAY) });
      const batches = [];
      for (;;) {
        const batch = await h.activityLogRepository.deleteOlderThan(CUTOFF, 2);
        batches.push(batch);
        expect(batch.deleted).to.be.within(0, 2);
        if (batch.done) break;
        expect(batches.length, 'a store of six rows is done in a few calls').to.be.below(10);
      }
      expect(batches.reduce((sum, batch) => sum + batch.deleted, 0)).to.equal(5);
      expect(await h.activityLogCount()).to.equal(1);
      // Asked again, the same cutoff finds nothing more.
      expect(await deleteAll(h, CUTOFF, 2)).to.equal(0);
    });

    it('the cleanup job empties the old logs in bounded batches and keeps the recent ones', async () => {
      const now = new Date('2025-03-18T02:00:00Z');
      for (let i = 0; i < 7; i += 1) await h.givenActivityLog({ createdAt: new Date(now.getTime() - (46 + i) * DAY) });
      await h.givenActivityLog({ createdAt: new Date(now.getTime() - 44 * DAY) });
      await h.givenActivityLog({ createdAt: now });
      const summary = await cleanupActivityLogs({ activityLogs: h.activityLogRepository, clock: fixedClock(now) }, { batchSize: 3 });
      expect(summary).to.deep.equal({ deletedCount: 7, retentionDays: 45, cutoff: '2025-02-01T02:00:00.000Z', executedAt: now.toISOString() });
      expect(await h.activityLogCount()).to.equal(2);
    });
  });
}
