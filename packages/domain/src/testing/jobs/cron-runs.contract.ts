import { expect } from 'chai';
import { ABANDONED_RUN_MESSAGE, type CronRunOutcome, type CronRunRecord, type CronRunRepository, type CronRunStart } from '../../jobs/job-run.ports';
import { DomainError } from '../../kernel/domain-error';
import type { Page } from '../../kernel/page';

export interface CronRunContractHarness {
  repository: CronRunRepository;
  close(): Promise<void>;
}

const at = (iso: string) => new Date(iso);
const start = (jobName: string, startedAt: string, overrides: Partial<CronRunStart> = {}): CronRunStart => ({
  jobName,
  trigger: 'schedule',
  triggeredBy: 'SYSTEM',
  startedAt: at(startedAt),
  ...overrides,
});
const outcome = (finishedAt: string, overrides: Partial<CronRunOutcome> = {}): CronRunOutcome => ({
  status: 'SUCCESS',
  processedCount: 3,
  errorMessage: null,
  summary: { settledCount: 3, cutoffDateCR: '2025-03-01', carryForward: { createdCount: 0 }, tags: ['a', null] },
  finishedAt: at(finishedAt),
  ...overrides,
});

/** Reads every page of a list; each page's size is checked against the limit. */
export async function readAllPages(read: (cursor: string | undefined) => Promise<Page<CronRunRecord>>, limit: number): Promise<CronRunRecord[]> {
  const seen: CronRunRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = await read(cursor);
    expect(page.items.length).to.be.at.most(limit);
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    expect(page.items.length, 'a page with a next cursor is full').to.equal(limit);
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

const newestFirst = (runs: CronRunRecord[]) =>
  [...runs].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || Number(b.id) - Number(a.id)).map((run) => run.id);

/** What every run history must do (docs/architecture.md, Running the jobs: run history); run it against each implementation. */
export function cronRunContract(name: string, makeHarness: () => Promise<CronRunContractHarness>): void {
  describe(`CronRunRepository contract: ${name}`, () => {
    let harness: CronRunContractHarness;
    let runs: CronRunRepository;
    beforeEach(async () => {
      harness = await makeHarness();
      runs = harness.repository;
    });
    afterEach(() => harness.close());

    it('keeps a started run RUNNING, unfinished, until its outcome is recorded with its summary', async () => {
      const id = await runs.start(start('settlement', '2025-03-01T09:00:00.000Z', { trigger: 'manual', triggeredBy: 'ana' }));
      expect(id).to.match(/^[1-9][0-9]*$/);
      expect(await runs.findById(id)).to.deep.equal({
        id, jobName: 'settlement', status: 'RUNNING', trigger: 'manual', triggeredBy: 'ana',
        processedCount: 0, errorMessage: null, summary: null, startedAt: at('2025-03-01T09:00:00.000Z'), finishedAt: null,
      });
      expect((await runs.latestByJob())['settlement']!.status).to.equal('RUNNING');

      await runs.finish(id, outcome('2025-03-01T09:00:02.500Z'));
      expect(await runs.findById(id)).to.deep.equal({
        id, jobName: 'settlement', status: 'SUCCESS', trigger: 'manual', triggeredBy: 'ana', processedCount: 3, errorMessage: null,
        summary: { settledCount: 3, cutoffDateCR: '2025-03-01', carryForward: { createdCount: 0 }, tags: ['a', null] },
        startedAt: at('2025-03-01T09:00:00.000Z'), finishedAt: at('2025-03-01T09:00:02.500Z'),
      });
    });

    it('closes a RUNNING row its job left behind as FAILED (abandoned) when the next run of that job starts, and no other job’s', async () => {
      const lost = await runs.start(start('settlement', '2025-03-01T09:00:00.000Z'));
      const other = await runs.start(start('monthly-closing', '2025-03-01T09:00:01.000Z'));
      const next = await runs.start(start('settlement', '2025-03-02T09:00:00.000Z'));
      const abandoned = await runs.findById(lost);
      expect(abandoned).to.include({ status: 'FAILED', errorMessage: ABANDONED_RUN_MESSAGE });
      expect(abandoned!.summary).to.include({ errorCode: 'JOB.ABANDONED' });
      expect(abandoned!.finishedAt!.getTime()).to.be.at.least(abandoned!.startedAt.getTime());
      expect((await runs.findById(other))!.status).to.equal('RUNNING');
      expect((await runs.findById(next))!.status).to.equal('RUNNING');
    });

    it('lets a run’s own outcome win over an abandoned mark (its lock outlived by a slow run)', async () => {
      const slow = await runs.start(start('settlement', '2025-03-01T09:00:00.000Z'));
      await runs.start(start('settlement', '2025-03-01T10:00:00.000Z'));
      await runs.finish(slow, outcome('2025-03-01T10:30:00.000Z'));
      expect((await runs.findById(slow))!.status).to.equal('SUCCESS');
    });

    it('records a run whole and reads it back as written', async () => {
      const id = await runs.record({
        ...start('sorteos.auto-open', '2025-03-03T07:00:00.123Z'),
        ...outcome('2025-03-03T07:00:00.123Z', { status: 'SKIPPED', processedCount: 0, errorMessage: 'database not ready: connect ECONNREFUSED', summary: { reason: 'database not ready' } }),
      });
      const run = await runs.findById(id);
      expect(run).to.include({ status: 'SKIPPED', trigger: 'schedule', triggeredBy: 'SYSTEM', errorMessage: 'database not ready: connect ECONNREFUSED' });
      expect(run!.summary).to.deep.equal({ reason: 'database not ready' });
      expect(await runs.findById(String(Number(id) + 1000))).to.equal(null);
    });

    it('refuses a run that finished before it started', async () => {
      let failure: unknown;
      await runs.record({ ...start('settlement', '2025-03-01T03:00:00.000Z'), ...outcome('2025-03-01T02:59:59.000Z') }).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
    });

    it('gives the latest run of each job (ties broken by the later row) and the last success of each', async () => {
      await runs.record({ ...start('settlement', '2025-03-01T03:00:00.000Z'), ...outcome('2025-03-01T03:00:05.000Z') });
      await runs.record({ ...start('settlement', '2025-03-03T03:00:00.000Z'), ...outcome('2025-03-03T03:00:01.000Z', { status: 'FAILED', errorMessage: 'QUERY_TIMEOUT: x' }) });
      const tied = await runs.record({ ...start('settlement', '2025-03-03T03:00:00.000Z'), ...outcome('2025-03-03T03:00:02.000Z', { status: 'FAILED', errorMessage: 'QUERY_TIMEOUT: y' }) });
      await runs.record({ ...start('settlement', '2025-03-02T03:00:00.000Z'), ...outcome('2025-03-02T03:00:09.000Z') });
      const latest = await runs.latestByJob();
      expect(Object.keys(latest)).to.deep.equal(['settlement']);
      expect(latest['settlement']!.id).to.equal(tied);
      expect(await runs.lastSuccessByJob()).to.deep.equal({ settlement: at('2025-03-02T03:00:09.000Z') });
    });

    it('lists newest first with every filter, from inclusive and to exclusive', async () => {
      const a = await runs.record({ ...start('settlement', '2025-03-01T03:00:00.000Z'), ...outcome('2025-03-01T03:00:01.000Z') });
      const b = await runs.record({ ...start('settlement', '2025-03-02T03:00:00.000Z', { trigger: 'manual', triggeredBy: 'ana' }), ...outcome('2025-03-02T03:00:01.000Z', { status: 'FAILED', errorMessage: 'x' }) });
      const c = await runs.record({ ...start('monthly-closing', '2025-03-02T03:00:00.000Z'), ...outcome('2025-03-02T03:00:01.000Z') });
      const d = await runs.start(start('monthly-closing', '2025-03-03T03:00:00.000Z'));
      const ids = async (query: Partial<Parameters<CronRunRepository['list']>[0]>) => (await runs.list({ limit: 50, ...query })).items.map((run) => run.id);
      expect(await ids({})).to.deep.equal([d, c, b, a]);
      expect(await ids({ jobName: 'settlement' })).to.deep.equal([b, a]);
      expect(await ids({ status: 'RUNNING' })).to.deep.equal([d]);
      expect(await ids({ status: 'FAILED' })).to.deep.equal([b]);
      expect(await ids({ trigger: 'manual' })).to.deep.equal([b]);
      expect(await ids({ from: at('2025-03-02T03:00:00.000Z') })).to.deep.equal([d, c, b]);
      expect(await ids({ to: at('2025-03-02T03:00:00.000Z') })).to.deep.equal([a]);
      expect(await ids({ jobName: 'monthly-closing', from: at('2025-03-02T00:00:00.000Z'), to: at('2025-03-03T00:00:00.000Z') })).to.deep.equal([c]);
      expect(await ids({ jobName: 'sorteos.auto-open' })).to.deep.equal([]);
    });

    it('pages through many runs sharing start instants, each once, in order', async () => {
      const all: string[] = [];
      for (let index = 0; index < 37; index += 1) {
        const minute = String(Math.floor(index / 3)).padStart(2, '0');
        all.push(await runs.record({ ...start(index % 2 === 0 ? 'settlement' : 'sorteos.auto-close', `2025-03-01T03:${minute}:00.000Z`), ...outcome(`2025-03-01T03:${minute}:30.000Z`) }));
      }
      for (const limit of [1, 5, 36, 37, 500]) {
        const read = await readAllPages((cursor) => runs.list({ limit, ...(cursor ? { cursor } : {}) }), limit);
        expect(read.map((run) => run.id)).to.deep.equal(newestFirst(read));
        expect([...read.map((run) => run.id)].sort()).to.deep.equal([...all].sort());
      }
      const settlement = await readAllPages((cursor) => runs.list({ limit: 4, jobName: 'settlement', ...(cursor ? { cursor } : {}) }), 4);
      expect(settlement).to.have.length(19);
    });

    it('pages stably while runs are added between pages: no run twice, none that existed skipped', async () => {
      const before: string[] = [];
      for (let index = 0; index < 20; index += 1) {
        before.push(await runs.record({ ...start('settlement', `2025-03-01T03:00:${String(index).padStart(2, '0')}.000Z`), ...outcome('2025-03-01T04:00:00.000Z') }));
      }
      let added = 0;
      const read = await readAllPages(async (cursor) => {
        const page = await runs.list({ limit: 3, ...(cursor ? { cursor } : {}) });
        // Between pages: a newer run, a run as old as the oldest, and one started inside the range being read.
        await runs.start(start('settlement', `2025-03-02T00:00:${String(added).padStart(2, '0')}.000Z`));
        await runs.record({ ...start('sorteos.auto-open', '2025-03-01T03:00:00.000Z'), ...outcome('2025-03-01T03:00:01.000Z') });
        await runs.record({ ...start('sorteos.auto-open', '2025-03-01T03:00:10.500Z'), ...outcome('2025-03-01T03:00:11.000Z') });
        added += 1;
        return page;
      }, 3);
      const readIds = read.map((run) => run.id);
      expect(new Set(readIds).size, 'no run twice').to.equal(readIds.length);
      for (const id of before) expect(readIds, `run ${id}`).to.include(id);
    });

    it('refuses a cursor it did not give out and a limit out of range, naming the field', async () => {
      for (const [query, field] of [
        [{ limit: 10, cursor: 'not-a-cursor' }, 'cursor'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 501 }, 'limit'],
      ] as const) {
        let failure: unknown;
        await runs.list(query).catch((error: unknown) => (failure = error));
        expect(failure).to.be.instanceOf(DomainError);
        expect((failure as DomainError).code).to.equal('VALIDATION.INVALID_INPUT');
        expect((failure as DomainError).details?.['field']).to.equal(field);
      }
    });

    it('deletes finished runs older than the cutoff in batches, never a RUNNING one nor the latest run of a job', async () => {
      const old: string[] = [];
      for (let day = 1; day <= 5; day += 1) {
        old.push(await runs.record({ ...start('settlement', `2025-01-0${day}T03:00:00.000Z`), ...outcome(`2025-01-0${day}T03:00:01.000Z`) }));
      }
      const lonely = await runs.record({ ...start('monthly-closing', '2025-01-01T06:00:00.000Z'), ...outcome('2025-01-01T06:00:01.000Z') });
      const stuck = await runs.start(start('sorteos.auto-open', '2025-01-02T06:00:00.000Z'));
      await runs.start(start('sorteos.auto-open', '2025-01-03T06:00:00.000Z'));
      const recent = await runs.record({ ...start('settlement', '2025-03-01T03:00:00.000Z'), ...outcome('2025-03-01T03:00:01.000Z') });
      const cutoff = at('2025-02-01T00:00:00.000Z');

      expect(await runs.deleteFinishedBefore(cutoff, 3)).to.equal(3);
      // The stuck run was closed as abandoned by the next start, so it is finished and old: it goes too.
      expect(await runs.deleteFinishedBefore(cutoff, 3)).to.equal(3);
      expect(await runs.deleteFinishedBefore(cutoff, 3)).to.equal(0);
      const left = (await runs.list({ limit: 50 })).items.map((run) => run.id);
      expect(left).to.have.members([recent, lonely, String(Number(stuck) + 1)]);
      expect(old.some((id) => left.includes(id))).to.equal(false);
    });
  });
}
