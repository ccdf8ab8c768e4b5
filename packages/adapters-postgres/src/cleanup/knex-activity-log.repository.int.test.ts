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

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** The rows each call deleted, calling until the repository is done. */
async function deleteUntilDone(repository: KnexActivityLogRepository, cutoff: Date, limit: number): Promise<number[]> {
  const batches: number[] = [];
  for (;;) {
    const batch = await repository.deleteOlderThan(cutoff, limit);
    batches.push(batch.deleted);
    if (batch.done) return batches;
  }
}

/** The DELETE statements `work` sends, by the way they find their rows. */
async function deletesDuring(knex: MigratedDatabase['knex'], work: () => Promise<void>): Promise<{ slices: number; index: number }> {
  const seen = { slices: 0, index: 0 };
  const listener = (query: { sql: string }) => {
    if (!query.sql.includes('DELETE FROM activity_logs')) return;
    if (query.sql.includes('ctid >=')) seen.slices += 1;
    else seen.index += 1;
  };
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.removeListener('query', listener);
  }
  return seen;
}

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
    const batches = await deleteUntilDone(repository, cutoff, 3);
    expect(batches).to.deep.equal([3, 3, 3, 1]);
    const left = await db.knex('activity_logs').select('created_at');
    expect(left.map((row: { created_at: Date }) => row.created_at.toISOString())).to.deep.equal(['2025-03-01T00:00:00.000Z']);
  });

  it('walks a table of many blocks slice by slice: one statement of at most the limit per call, every old row gone and no recent one', async () => {
    await db.knex('activity_logs').del();
    const cutoff = new Date('2025-02-01T00:00:00Z');
    // Old and recent rows interleaved in physical order, with bodies that spread them over ~150 blocks.
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      created_at: new Date(cutoff.getTime() + (i % 3 === 0 ? 1 : -1) * (1 + i) * 60_000),
      action: 'TICKET_CREATED',
      details: { i, padding: 'x'.repeat(300) },
    }));
    for (let i = 0; i < rows.length; i += 500) await db.knex('activity_logs').insert(rows.slice(i, i + 500));
    await db.knex.raw('ANALYZE activity_logs');
    const blocks = Number((await db.knex.raw(`SELECT pg_relation_size('activity_logs') / 8192 AS n`)).rows[0].n);
    expect(blocks).to.be.greaterThan(100);
    const repository = new KnexActivityLogRepository(db.knex);
    let batches: number[] = [];
    const statements = await deletesDuring(db.knex, async () => {
      batches = await deleteUntilDone(repository, cutoff, 150);
    });
    expect(batches.every((n) => n <= 150)).to.equal(true);
    expect(statements).to.deep.equal({ slices: batches.length, index: 0 });
    // Slices of about 135 rows, two thirds of them old: far fewer calls than blocks.
    expect(batches.length).to.be.within(10, blocks / 2);
    expect(batches.reduce((a, b) => a + b, 0)).to.equal(2000);
    const [{ old, recent }] = (await db.knex.raw(`SELECT count(*) FILTER (WHERE created_at < ?)::int AS old, count(*) FILTER (WHERE created_at >= ?)::int AS recent FROM activity_logs`, [cutoff, cutoff])).rows;
    expect({ old, recent }).to.deep.equal({ old: 0, recent: 1000 });
  });

  it('takes a small old share through the index: the same rows go, in batches of the limit', async () => {
    await db.knex('activity_logs').del();
    await db.knex.raw('VACUUM activity_logs');
    const cutoff = new Date('2025-02-01T00:00:00Z');
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      created_at: new Date(cutoff.getTime() + (i % 10 === 0 ? -1 : 1) * (1 + i) * 60_000),
      action: 'TICKET_CREATED',
      details: { i },
    }));
    for (let i = 0; i < rows.length; i += 500) await db.knex('activity_logs').insert(rows.slice(i, i + 500));
    await db.knex.raw('ANALYZE activity_logs');
    const repository = new KnexActivityLogRepository(db.knex);
    let batches: number[] = [];
    const statements = await deletesDuring(db.knex, async () => {
      batches = await deleteUntilDone(repository, cutoff, 40);
    });
    expect(batches).to.deep.equal([40, 40, 40, 40, 40, 40, 40, 20]);
    expect(statements).to.deep.equal({ slices: 0, index: 8 });
    const [{ old, recent }] = (await db.knex.raw(`SELECT count(*) FILTER (WHERE created_at < ?)::int AS old, count(*) FILTER (WHERE created_at >= ?)::int AS recent FROM activity_logs`, [cutoff, cutoff])).rows;
    expect({ old, recent }).to.deep.equal({ old: 0, recent: 2700 });
  });

  it('starts afresh when the same cutoff is asked after a cleanup was done', async () => {
    await db.knex('activity_logs').del();
    const cutoff = new Date('2025-02-01T00:00:00Z');
    const repository = new KnexActivityLogRepository(db.knex);
    await db.knex('activity_logs').insert({ created_at: new Date('2025-01-01T00:00:00Z'), action: 'TICKET_CREATED' });
    expect(sum(await deleteUntilDone(repository, cutoff, 10))).to.equal(1);
    await db.knex('activity_logs').insert({ created_at: new Date('2025-01-02T00:00:00Z'), action: 'TICKET_CREATED' });
    expect(sum(await deleteUntilDone(repository, cutoff, 10))).to.equal(1);
  });

  it('starts from the oldest row again for a new cutoff', async () => {
    await db.knex('activity_logs').insert({ created_at: new Date('2024-12-01T00:00:00Z'), action: 'TICKET_CREATED' });
    const repository = new KnexActivityLogRepository(db.knex);
    expect(sum(await deleteUntilDone(repository, new Date('2025-02-01T00:00:00Z'), 10))).to.equal(1);
    await db.knex('activity_logs').insert({ created_at: new Date('2024-11-01T00:00:00Z'), action: 'TICKET_CREATED' });
    expect(sum(await deleteUntilDone(repository, new Date('2025-02-02T00:00:00Z'), 10))).to.equal(1);
  });
});
