import { expect } from 'chai';
import { cronRunContract } from '@banca/domain/testing';
import { createMigratedPglite, createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { KnexCronRunRepository } from './knex-cron-run.repository';

const databases: Array<[string, () => Promise<MigratedDatabase>]> = [
  ['real PostgreSQL', () => createMigratedSchema('cron_runs')],
  ['PGlite', createMigratedPglite],
];

for (const [label, open] of databases) {
  cronRunContract(`KnexCronRunRepository on ${label}`, async () => {
    const db = await open();
    return { repository: new KnexCronRunRepository(db.knex), close: () => db.close() };
  });

  describe(`cron_runs on ${label}`, () => {
    let db: MigratedDatabase;
    beforeEach(async () => {
      db = await open();
    });
    afterEach(() => db.close());

    it('refuses a RUNNING row with a finish time, and a finished row without one', async () => {
      const row = { job_name: 'settlement', processed_count: 0, started_at: new Date('2025-03-01T03:00:00Z') };
      for (const bad of [
        { ...row, status: 'RUNNING', finished_at: new Date('2025-03-01T03:00:01Z') },
        { ...row, status: 'SUCCESS', finished_at: null },
      ]) {
        let failure: unknown;
        await db.knex('cron_runs').insert(bad).catch((error: unknown) => (failure = error));
        expect(failure, JSON.stringify(bad)).to.be.instanceOf(Error);
      }
    });

    it('reads rows written before the history columns, with trigger, user and summary null', async () => {
      await db.knex('cron_runs').insert({ job_name: 'settlement', status: 'SUCCESS', processed_count: 2, started_at: new Date('2024-12-01T03:00:00Z'), finished_at: new Date('2024-12-01T03:00:01Z') });
      const [run] = (await new KnexCronRunRepository(db.knex).list({ limit: 5 })).items;
      expect(run).to.include({ trigger: null, triggeredBy: null, summary: null, status: 'SUCCESS', processedCount: 2 });
    });
  });
}
