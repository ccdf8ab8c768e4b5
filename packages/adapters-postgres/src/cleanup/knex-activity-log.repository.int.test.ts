import { expect } from 'chai';
import { activityLogContract, type ActivityLogContractHarness } from '@banca/domain/testing';
import { createMigratedPglite, createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { KnexActivityLogRepository } from './knex-activity-log.repository';

function harnessOn(open: () => Promise<MigratedDatabase>) {
  return async (): Promise<ActivityLogContractHarness> => {
    const db = await open();
    return {
      activityLogRepository: new KnexActivityLogRepository(db.knex),
      async givenActivityLog({ createdAt }) {
        const [row] = await db
          .knex('activity_logs')
          .insert({ created_at: createdAt, actor_id: 'admin-1', action: 'SORTEO_UPDATED', target_type: 'sorteo', target_id: 's-1', details: { via: 'contract' } })
          .returning('id');
        return String(row.id);
      },
      async activityLogCount() {
        const [{ count }] = await db.knex('activity_logs').count({ count: '*' });
        return Number(count);
      },
      close: () => db.close(),
    };
  };
}

activityLogContract('KnexActivityLogRepository on real PostgreSQL', harnessOn(() => createMigratedSchema('activity_logs')));
activityLogContract('KnexActivityLogRepository on PGlite', harnessOn(createMigratedPglite));

describe('KnexActivityLogRepository limits', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await createMigratedPglite();
  });
  after(() => db.close());

  it('refuses a limit that is not a positive integer (an unbounded delete is never meant)', async () => {
    const repository = new KnexActivityLogRepository(db.knex);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      let failure: unknown;
      await repository.deleteOlderThan(new Date(), limit).catch((error: unknown) => (failure = error));
      expect(failure, String(limit)).to.be.instanceOf(RangeError);
    }
  });
});

describe('KnexActivityLogRepository batches on real PostgreSQL', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await createMigratedSchema('activity_log_batches');
  });
  after(() => db.close());

  it('resumes each batch where the last one ended without leaving ties at the boundary behind', async () => {
    const at = (iso: string) => new Date(iso);
    const rows = [
      ...Array.from({ length: 5 }, () => at('2025-01-01T00:00:00Z')),
      ...Array.from({ length: 4 }, () => at('2025-01-02T00:00:00Z')),
      at('2025-01-03T00:00:00Z'),
      at('2025-03-01T00:00:00Z'),
    ].map((createdAt, i) => ({ created_at: createdAt, action: 'TICKET_CREATED', details: { i } }));
    await db.knex('activity_logs').insert(rows);
    const repository = new KnexActivityLogRepository(db.knex);
    const cutoff = at('2025-02-01T00:00:00Z');
    const batches: number[] = [];
    for (;;) {
      const deleted = await repository.deleteOlderThan(cutoff, 3);
      batches.push(deleted);
      if (deleted < 3) break;
    }
    expect(batches).to.deep.equal([3, 3, 3, 1]);
    const left = await db.knex('activity_logs').select('created_at');
    expect(left.map((row: { created_at: Date }) => row.created_at.toISOString())).to.deep.equal(['2025-03-01T00:00:00.000Z']);
  });

  it('starts from the oldest row again for a new cutoff', async () => {
    await db.knex('activity_logs').insert({ created_at: new Date('2024-12-01T00:00:00Z'), action: 'TICKET_CREATED' });
    const repository = new KnexActivityLogRepository(db.knex);
    expect(await repository.deleteOlderThan(new Date('2025-02-01T00:00:00Z'), 10)).to.equal(1);
    await db.knex('activity_logs').insert({ created_at: new Date('2024-11-01T00:00:00Z'), action: 'TICKET_CREATED' });
    expect(await repository.deleteOlderThan(new Date('2025-02-02T00:00:00Z'), 10)).to.equal(1);
  });
});
