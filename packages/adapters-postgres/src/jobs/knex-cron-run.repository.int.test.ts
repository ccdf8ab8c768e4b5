import { expect } from 'chai';
import type { CronRunRecord } from '@banca/domain/ports';
import { InMemoryCronRunRepository } from '@banca/domain/testing';
import { createMigratedPglite, createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { KnexCronRunRepository } from './knex-cron-run.repository';

const at = (iso: string) => new Date(iso);
const run = (jobName: string, startedAt: string, overrides: Partial<CronRunRecord> = {}): CronRunRecord => ({
  jobName,
  status: 'SUCCESS',
  processedCount: 0,
  errorMessage: null,
  startedAt: at(startedAt),
  finishedAt: new Date(at(startedAt).getTime() + 1_500),
  ...overrides,
});

const databases: Array<[string, () => Promise<MigratedDatabase>]> = [
  ['real PostgreSQL', () => createMigratedSchema('cron_runs')],
  ['PGlite', createMigratedPglite],
];

for (const [label, open] of databases) {
  describe(`KnexCronRunRepository on ${label}`, () => {
    let db: MigratedDatabase;
    beforeEach(async () => {
      db = await open();
    });
    afterEach(() => db.close());

    it('has no latest run before any run', async () => {
      expect(await new KnexCronRunRepository(db.knex).latestByJob()).to.deep.equal({});
    });

    it('gives the latest run of each job, exactly as recorded, like the reference implementation', async () => {
      const runs = [
        run('settlement', '2025-03-01T03:00:00.000Z', { processedCount: 12 }),
        run('settlement', '2025-03-03T03:00:00.000Z', { status: 'FAILED', errorMessage: 'QUERY_TIMEOUT: canceling statement due to statement timeout' }),
        run('settlement', '2025-03-02T03:00:00.000Z'),
        run('sorteos.auto-open', '2025-03-03T07:00:00.123Z', { status: 'SKIPPED', errorMessage: 'database not ready: connect ECONNREFUSED' }),
      ];
      const repository = new KnexCronRunRepository(db.knex);
      const reference = new InMemoryCronRunRepository();
      for (const r of runs) {
        await repository.record(r);
        await reference.record(r);
      }
      const latest = await repository.latestByJob();
      expect(latest).to.deep.equal(await reference.latestByJob());
      expect(latest['settlement']).to.deep.equal(runs[1]);
      expect(latest['sorteos.auto-open']!.startedAt.toISOString()).to.equal('2025-03-03T07:00:00.123Z');
    });

    it('refuses a run that finished before it started (the audit stays consistent)', async () => {
      const bad = run('settlement', '2025-03-01T03:00:00.000Z', { finishedAt: at('2025-03-01T02:59:59.000Z') });
      let failure: unknown;
      await new KnexCronRunRepository(db.knex).record(bad).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
    });
  });
}
