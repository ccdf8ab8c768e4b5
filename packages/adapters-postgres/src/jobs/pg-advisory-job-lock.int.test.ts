import { expect } from 'chai';
import type { Knex } from 'knex';
import { jobLockContract } from '@banca/domain/testing';
import { createTestSchema, dropTestSchema, type TestSchema } from '@banca/test-support';
import { createPostgresKnex } from '../knex-connection';
import { advisoryLockKey } from './advisory-lock-key';
import { PgAdvisoryJobLock } from './pg-advisory-job-lock';

jobLockContract('PgAdvisoryJobLock on real PostgreSQL', async () => {
  const schema = await createTestSchema('advisory_contract');
  const pools = [createPostgresKnex(schema.connection), createPostgresKnex(schema.connection)];
  return {
    lock: new PgAdvisoryJobLock(pools[0]!),
    otherClient: new PgAdvisoryJobLock(pools[1]!),
    expires: false,
    async close() {
      await Promise.all(pools.map((pool) => pool.destroy()));
      await dropTestSchema(schema);
    },
  };
});

describe('PgAdvisoryJobLock sessions', () => {
  let schema: TestSchema;
  let pool: Knex;
  let observer: Knex;
  const job = () => `session-${process.pid}-${Date.now()}-${Math.random()}`;

  beforeEach(async () => {
    schema = await createTestSchema('advisory_session');
    pool = createPostgresKnex({ ...schema.connection, pool: { max: 1 }, acquireTimeoutMs: 2_000 });
    observer = createPostgresKnex(schema.connection);
  });
  afterEach(async () => {
    await Promise.all([pool.destroy(), observer.destroy()]);
    await dropTestSchema(schema);
  });

  const holderPid = async (name: string): Promise<number | null> => {
    const key = BigInt(advisoryLockKey(name));
    const classid = Number((key >> 32n) & 0xffffffffn);
    const objid = Number(key & 0xffffffffn);
    const { rows } = await observer.raw(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1`,
      [classid, objid],
    );
    return rows[0]?.pid ?? null;
  };

  it('holds the lock on a connection of its own and gives it back to the pool on release', async () => {
    const name = job();
    const held = await new PgAdvisoryJobLock(pool).tryAcquire(name, 1_000);
    expect(await holderPid(name)).to.be.a('number');
    expect(await held!.release()).to.equal(true);
    expect(await holderPid(name)).to.equal(null);
    // With a pool of one, a connection kept after release would make this wait and time out.
    const { rows } = await pool.raw('SELECT 1 AS one');
    expect(rows).to.deep.equal([{ one: 1 }]);
  });

  it('frees a lock when its holder session dies, and the dead owner releases nothing', async () => {
    const name = job();
    const stale = await new PgAdvisoryJobLock(pool).tryAcquire(name, 1_000);
    const pid = await holderPid(name);
    // The two-argument form waits until the backend has exited, with its locks.
    await observer.raw('SELECT pg_terminate_backend(?, 5000)', [pid]);
    const next = await new PgAdvisoryJobLock(observer).tryAcquire(name, 1_000);
    try {
      expect(next, 'acquire after the holder died').to.not.equal(null);
      expect(await stale!.release()).to.equal(false);
      expect(await new PgAdvisoryJobLock(pool).tryAcquire(name, 1_000), 'still held by the new owner').to.equal(null);
    } finally {
      await stale!.release();
      await next?.release();
    }
  });

  it('refuses a TTL that is not a positive integer, like every JobLock', async () => {
    let failure: unknown;
    await new PgAdvisoryJobLock(pool).tryAcquire(job(), 0).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(RangeError);
  });
});
