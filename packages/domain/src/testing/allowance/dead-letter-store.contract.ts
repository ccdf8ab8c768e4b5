import { expect } from 'chai';
import type { DeadLetter, NewDeadLetter } from '../../allowance/dead-letter';
import type { DeadLetterListQuery, DeadLetterStore } from '../../allowance/dead-letter.ports';

/** What an adapter hands to `deadLetterStoreContract`: its store over an empty table. */
export interface DeadLetterStoreHarness {
  store: DeadLetterStore;
  close(): Promise<void>;
}

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const SCHEDULE = '3f2b8c1e-5d4a-4b6f-9e2d-1a2b3c4d5e6f';
const OTHER_SCHEDULE = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';

/** A run's dead letter; `minutes` after T0 is its run and its dead-lettering. */
export function runDeadLetter(minutes: number, overrides: Partial<NewDeadLetter> = {}): NewDeadLetter {
  const scheduleId = overrides.scheduleId ?? SCHEDULE;
  const runAt = overrides.runAt ?? at(minutes);
  return {
    messageKey: `${scheduleId}:${runAt!.toISOString()}`,
    messageId: `${scheduleId}:${runAt!.toISOString()}`,
    scheduleId,
    runAt,
    reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
    reason: 'gave up after 5 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 45.00',
    attempts: 5,
    rawBody: null,
    deadLetteredAt: at(minutes),
    recordedAt: at(minutes),
    traceContext: { traceparent: `00-${String(minutes).padStart(32, 'a')}-00f067aa0ba902b7-01` },
    ...overrides,
  };
}

export function malformedDeadLetter(minutes: number, body: string): NewDeadLetter {
  return {
    messageKey: `malformed:raw:${body.length}-${minutes}`,
    messageId: 'raw',
    scheduleId: null,
    runAt: null,
    reasonCode: 'VALIDATION.INVALID_INPUT',
    reason: 'VALIDATION.INVALID_INPUT: allowance message is not valid JSON',
    attempts: 1,
    rawBody: body,
    deadLetteredAt: at(minutes),
    traceContext: null,
    recordedAt: at(minutes),
  };
}

const ANY: DeadLetterListQuery = { status: null, reasonCode: null, scheduleId: null, from: null, to: null, after: null, limit: 100 };

/**
 * The behaviour every DeadLetterStore has (in memory, PostgreSQL, PGlite): recording once while open,
 * the list's order and filters, stable keyset pages, claims that never overlap, guarded transitions.
 */
export function deadLetterStoreContract(name: string, makeHarness: () => Promise<DeadLetterStoreHarness>): void {
  describe(`DeadLetterStore contract: ${name}`, () => {
    let harness: DeadLetterStoreHarness;
    let store: DeadLetterStore;
    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });
    afterEach(() => harness?.close());

    const only = async (): Promise<DeadLetter> => {
      const rows = await store.list(ANY);
      expect(rows).to.have.length(1);
      return rows[0]!;
    };
    const claimAll = (requestId: string, claimedAt = at(100)) => store.claimForReplay({ requestId, claimedAt, staleBefore: at(0), upTo: Number.MAX_SAFE_INTEGER, limit: 1000 });

    it('records a dead letter with every field, open, and once while it is open', async () => {
      const letter = runDeadLetter(1, { reason: 'gave up: ñandú “quoted”' });
      expect(await store.record(letter)).to.equal(true);
      expect(await store.record({ ...letter, deadLetteredAt: at(2), recordedAt: at(2) })).to.equal(false);
      const row = await only();
      expect(row).to.deep.include({ ...letter, status: 'open', replayRequestId: null, replayClaimedAt: null, replayedAt: null, replayedBy: null, purgedAt: null, purgedBy: null, purgeReason: null });
      expect(row.id).to.match(/^[0-9a-f-]{36}$/);
      expect(await store.findById(row.id)).to.deep.equal(row);
      expect(await store.findById('00000000-0000-4000-8000-00000000dead')).to.equal(null);
      expect(await store.countOpen()).to.equal(1);
    });

    it('keeps a malformed message with its body and no run', async () => {
      const body = 'not json {\uFFFD? \u00e9 \u{1F600}}';
      expect(await store.record(malformedDeadLetter(1, body))).to.equal(true);
      expect(await only()).to.deep.include({ scheduleId: null, runAt: null, rawBody: body, messageId: 'raw' });
    });

    it('records the same run again once its dead letter was replayed or purged', async () => {
      const letter = runDeadLetter(1);
      await store.record(letter);
      const [claimed] = await claimAll('r1');
      expect(await store.record(letter), 'while replaying, a new failure of the run is a new dead letter').to.equal(true);
      await store.markReplayed({ requestId: 'r1', ids: [claimed!.id], replayedBy: 'ops', replayedAt: at(101) });
      expect(await store.record(letter), 'the open one absorbs a copy').to.equal(false);
      const open = (await store.list({ ...ANY, status: 'open' }))[0]!;
      await store.purge({ ids: [open.id], reason: 'paid by hand', purgedBy: 'ops', purgedAt: at(102), staleBefore: at(0) });
      expect(await store.record(letter)).to.equal(true);
      expect((await store.list(ANY)).map((row) => row.status).sort()).to.deep.equal(['open', 'purged', 'replayed']);
    });

    it('lists newest dead-lettered first, ties by id descending, with each filter', async () => {
      await store.record(runDeadLetter(1));
      await store.record(runDeadLetter(2, { scheduleId: OTHER_SCHEDULE, reasonCode: 'ALLOWANCE.INVALID_RUN' }));
      await store.record(runDeadLetter(3, { deadLetteredAt: at(2) }));
      await store.record(malformedDeadLetter(4, 'x'));
      const all = await store.list(ANY);
      expect(all.map((row) => row.deadLetteredAt.getTime())).to.deep.equal([at(4), at(2), at(2), at(1)].map((d) => d.getTime()));
      const tied = all.slice(1, 3).map((row) => row.id);
      expect(tied).to.deep.equal([...tied].sort().reverse());
      const keys = (rows: DeadLetter[]) => rows.map((row) => row.messageKey);
      expect(keys(await store.list({ ...ANY, reasonCode: 'ALLOWANCE.INVALID_RUN' }))).to.deep.equal([runDeadLetter(2, { scheduleId: OTHER_SCHEDULE }).messageKey]);
      expect(await store.list({ ...ANY, scheduleId: SCHEDULE })).to.have.length(2);
      expect((await store.list({ ...ANY, from: at(2), to: at(4) })).map((row) => row.deadLetteredAt.getTime())).to.deep.equal([at(2).getTime(), at(2).getTime()]);
      expect(await store.list({ ...ANY, limit: 2 })).to.deep.equal(all.slice(0, 2));
      expect(await store.list({ ...ANY, after: { deadLetteredAt: all[1]!.deadLetteredAt, id: all[1]!.id } })).to.deep.equal(all.slice(2));
      await claimAll('r1');
      expect(keys(await store.list({ ...ANY, status: 'open' }))).to.deep.equal([malformedDeadLetter(4, 'x').messageKey]);
      expect(await store.list({ ...ANY, status: 'replaying' })).to.have.length(3);
      expect(await store.countOpen(), 'replaying rows are not settled yet').to.equal(4);
    });

    it('pages stably while dead letters are recorded between pages: none twice, none that was there skipped', async () => {
      for (let i = 0; i < 12; i++) await store.record(runDeadLetter(i, { deadLetteredAt: at(Math.floor(i / 3)) }));
      const before = new Set((await store.list(ANY)).map((row) => row.id));
      const seen: string[] = [];
      let after: DeadLetterListQuery['after'] = null;
      for (let page = 0; page < 20; page++) {
        const rows = await store.list({ ...ANY, after, limit: 5 });
        seen.push(...rows.map((row) => row.id));
        // Newer ones, older ones and ones tied with the page's last row arrive while the reader pages.
        await store.record(runDeadLetter(100 + page, { deadLetteredAt: at(50) }));
        await store.record(runDeadLetter(200 + page, { deadLetteredAt: at(-1 - page) }));
        await store.record(runDeadLetter(300 + page, { deadLetteredAt: rows.at(-1)?.deadLetteredAt ?? at(0) }));
        if (rows.length < 5) break;
        after = { deadLetteredAt: rows.at(-1)!.deadLetteredAt, id: rows.at(-1)!.id };
      }
      expect(new Set(seen).size, 'no row twice').to.equal(seen.length);
      expect([...before].filter((id) => !seen.includes(id)), 'none skipped').to.deep.equal([]);
    });

    it('claims chosen open rows that name a run, once: a second or concurrent claim gets none of them', async () => {
      await store.record(runDeadLetter(1));
      await store.record(runDeadLetter(2));
      await store.record(malformedDeadLetter(3, 'x'));
      const ids = (await store.list(ANY)).map((row) => row.id);
      const [a, b] = await Promise.all([
        store.claimForReplay({ requestId: 'a', claimedAt: at(100), staleBefore: at(0), ids }),
        store.claimForReplay({ requestId: 'b', claimedAt: at(100), staleBefore: at(0), ids }),
      ]);
      expect(a!.length + b!.length, 'the two runs, not the malformed message').to.equal(2);
      expect(new Set([...a!, ...b!].map((row) => row.id)).size).to.equal(2);
      for (const row of [...a!, ...b!]) expect(row).to.deep.include({ status: 'replaying', replayClaimedAt: at(100) });
      expect(await store.claimForReplay({ requestId: 'c', claimedAt: at(101), staleBefore: at(0), ids })).to.deep.equal([]);
    });

    it('claims a replaying row again once its claim is stale', async () => {
      await store.record(runDeadLetter(1));
      const [row] = await claimAll('dead-request', at(10));
      expect(await store.claimForReplay({ requestId: 'r2', claimedAt: at(11), staleBefore: at(10), ids: [row!.id] })).to.deep.equal([]);
      const [again] = await store.claimForReplay({ requestId: 'r2', claimedAt: at(20), staleBefore: at(15), ids: [row!.id] });
      expect(again).to.deep.include({ id: row!.id, replayRequestId: 'r2', replayClaimedAt: at(20) });
      expect(await store.markReplayed({ requestId: 'dead-request', ids: [row!.id], replayedBy: 'ops', replayedAt: at(21) }), 'the dead request finishes nothing').to.deep.equal([]);
    });

    it('claims up to a position, oldest recorded first, at most `limit`; concurrent claims share no row', async () => {
      for (let i = 0; i < 6; i++) await store.record(runDeadLetter(i, { deadLetteredAt: at(10 - i) }));
      const upTo = await store.latestPosition();
      await store.record(runDeadLetter(50));
      await store.record(malformedDeadLetter(51, 'x'));
      const first = await store.claimForReplay({ requestId: 'a', claimedAt: at(100), staleBefore: at(0), upTo, limit: 2 });
      expect(first.map((row) => row.runAt!.getTime())).to.deep.equal([at(0), at(1)].map((d) => d.getTime()));
      const [b, c] = await Promise.all([
        store.claimForReplay({ requestId: 'b', claimedAt: at(100), staleBefore: at(0), upTo, limit: 10 }),
        store.claimForReplay({ requestId: 'c', claimedAt: at(100), staleBefore: at(0), upTo, limit: 10 }),
      ]);
      expect([...b!, ...c!].map((row) => row.runAt!.getTime()).sort((x, y) => x - y)).to.deep.equal([2, 3, 4, 5].map((i) => at(i).getTime()));
      expect(await store.claimForReplay({ requestId: 'd', claimedAt: at(100), staleBefore: at(0), upTo, limit: 10 }), 'rows recorded later are left').to.deep.equal([]);
      expect(await store.latestPosition()).to.be.greaterThan(upTo);
    });

    it('marks replayed or releases only the request\'s own replaying rows', async () => {
      await store.record(runDeadLetter(1));
      await store.record(runDeadLetter(2));
      const [one, two] = await claimAll('r1');
      expect(await store.markReplayed({ requestId: 'other', ids: [one!.id, two!.id], replayedBy: 'ops', replayedAt: at(101) })).to.deep.equal([]);
      expect(await store.markReplayed({ requestId: 'r1', ids: [one!.id], replayedBy: 'cli:ana', replayedAt: at(101) })).to.deep.equal([one!.id]);
      expect(await store.releaseReplay('r1', [one!.id, two!.id]), 'a replayed row stays replayed').to.equal(1);
      expect(await store.findById(one!.id)).to.deep.include({ status: 'replayed', replayedBy: 'cli:ana', replayedAt: at(101), replayRequestId: 'r1' });
      expect(await store.findById(two!.id)).to.deep.include({ status: 'open', replayRequestId: null, replayClaimedAt: null });
      expect(await store.countOpen()).to.equal(1);
      expect(await store.purge({ ids: [one!.id], reason: 'no', purgedBy: 'ops', purgedAt: at(102), staleBefore: at(0) }), 'a replayed row is never purged').to.deep.equal([]);
    });

    it('releases at most one row per run back to open', async () => {
      await store.record(runDeadLetter(1));
      const [stale] = await claimAll('died', at(10));
      await store.record(runDeadLetter(1));
      await store.record(runDeadLetter(2));
      const claimed = await store.claimForReplay({ requestId: 'r', claimedAt: at(100), staleBefore: at(50), upTo: Number.MAX_SAFE_INTEGER, limit: 10 });
      expect(claimed).to.have.length(3);
      await store.record(runDeadLetter(2));
      expect(await store.releaseReplay('r', claimed.map((row) => row.id)), 'run 1 once; run 2 has a new open dead letter').to.equal(1);
      expect(await store.findById(stale!.id)).to.deep.include({ status: 'open' });
      expect((await store.list({ ...ANY, status: 'open' })).map((row) => row.runAt!.getTime()).sort()).to.deep.equal([at(1).getTime(), at(2).getTime()]);
      expect(await store.list({ ...ANY, status: 'replaying' })).to.have.length(2);
    });

    it('purges open rows with who, when and why; a purged row is never claimed', async () => {
      await store.record(runDeadLetter(1));
      await store.record(runDeadLetter(2));
      const ids = (await store.list(ANY)).map((row) => row.id);
      await store.claimForReplay({ requestId: 'r1', claimedAt: at(100), staleBefore: at(0), ids: [ids[0]!] });
      const missing = '00000000-0000-4000-8000-00000000dead';
      expect(await store.purge({ ids: [...ids, missing], reason: 'schedule deleted', purgedBy: 'ops', purgedAt: at(101), staleBefore: at(0) })).to.deep.equal([ids[1]]);
      expect(await store.findById(ids[1]!)).to.deep.include({ status: 'purged', purgedBy: 'ops', purgedAt: at(101), purgeReason: 'schedule deleted' });
      expect(await store.claimForReplay({ requestId: 'r2', claimedAt: at(102), staleBefore: at(0), ids: [ids[1]!] })).to.deep.equal([]);
      expect(await store.purge({ ids: [ids[0]!], reason: 'stuck', purgedBy: 'ops', purgedAt: at(103), staleBefore: at(101) }), 'a stale claim can be purged').to.deep.equal([ids[0]]);
      expect((await store.findByIds([...ids, missing])).map((row) => row.status)).to.have.members(['purged', 'purged']);
      expect(await store.countOpen()).to.equal(0);
    });
  });
}
