import { expect } from 'chai';
import type { Knex } from 'knex';
import { usePostgresSchema } from '@banca/test-support';
import { createPostgresKnex } from '../knex-connection';
import { createPostgresWarmup } from './postgres-warmup';

describe('createPostgresWarmup', () => {
  const schema = usePostgresSchema('warmup');
  let reachable: Knex;
  let unreachable: Knex;

  before(() => {
    reachable = createPostgresKnex(schema.current.connection);
    unreachable = createPostgresKnex({ connectionString: 'postgres://postgres@127.0.0.1:1/x', acquireTimeoutMs: 2_000 });
  });
  after(() => Promise.all([reachable.destroy(), unreachable.destroy()]));

  it('returns at the first answer from a reachable database', async () => {
    const failures: unknown[] = [];
    await createPostgresWarmup(reachable, { onAttemptFailed: (failure) => failures.push(failure) }).warmUp();
    expect(failures).to.deep.equal([]);
  });

  it('tries an unreachable database the given number of times, backing off, then throws the last error', async () => {
    const failures: Array<{ attempt: number; code: unknown; nextDelayMs: number | null }> = [];
    const warmup = createPostgresWarmup(unreachable, {
      attempts: 4,
      initialDelayMs: 10,
      maxDelayMs: 25,
      onAttemptFailed: ({ attempt, error, nextDelayMs }) => failures.push({ attempt, code: (error as { code?: unknown }).code, nextDelayMs }),
    });
    let thrown: unknown;
    await warmup.warmUp().catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(Error);
    expect((thrown as { code?: string }).code).to.equal('ECONNREFUSED');
    expect(failures).to.deep.equal([
      { attempt: 1, code: 'ECONNREFUSED', nextDelayMs: 10 },
      { attempt: 2, code: 'ECONNREFUSED', nextDelayMs: 20 },
      { attempt: 3, code: 'ECONNREFUSED', nextDelayMs: 25 },
      { attempt: 4, code: 'ECONNREFUSED', nextDelayMs: null },
    ]);
  });

  it('refuses a number of attempts below one', () => {
    expect(() => createPostgresWarmup(reachable, { attempts: 0 })).to.throw(RangeError);
  });
});
