/// <reference types="mocha" />
import { expect } from 'chai';
import Redis from 'ioredis';
import { seedDemo } from '@banca/adapters-postgres';
import type { HeldLock, JobLock } from '@banca/domain/ports';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { createJobWorld, type JobWorld } from '../e2e/jobs/jobs.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { creditCount, ownRedisServer, producerProcess, waitFor, type OwnRedis } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const RUNS = Number(process.env['FAULTS_REDIS_RUNS'] ?? 1_000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The job lock on the test's own Redis, which stops that Redis right after the lock is taken. */
class StopsRedisOnceTaken implements JobLock {
  stops = 0;
  armed = true;

  constructor(
    private readonly inner: JobLock,
    private readonly redis: OwnRedis,
  ) {}

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    const held = await this.inner.tryAcquire(name, ttlMs);
    if (held && this.armed) {
      this.armed = false;
      await this.redis.stop();
      this.stops += 1;
    }
    return held;
  }
}

function lockClient(redis: OwnRedis): Redis {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(times * 50, 500) });
  client.on('error', () => undefined);
  return client;
}

/**
 * The documented behaviour (docs/architecture.md, Running the jobs): a run
 * whose Redis goes away keeps going, its writes guarded by the database, and the failed release is
 * logged as JOB_LOCK_RELEASE_FAIL (the key expires with its TTL); while Redis is down a new run
 * cannot take the lock and is refused before it touches anything; once Redis is back, runs complete.
 */
describe('faults: Redis stopped during a producer run and during a banca job', function () {
  this.timeout(600_000);
  let redis: OwnRedis | null = null;
  let client: Redis | null = null;
  let allowance: AllowanceWorld | null = null;
  let jobs: JobWorld | null = null;

  before(async () => {
    redis = await ownRedisServer();
    client = lockClient(redis);
  });

  after(async () => {
    client?.disconnect();
    await redis?.stop();
    await allowance?.close();
    await jobs?.close();
  });

  it('the producer run publishes every due run, logs the failed release, and the next run after Redis is back completes', async () => {
    const report = startScenario('Redis stopped during a producer run');
    const own = redis!;
    allowance = await createAllowanceWorld({ label: 'f_redis_producer', workers: 2, retryDelayMs: 150 });
    const w = allowance;
    const anchorAt = new Date(w.clock.now().getTime() - HOUR);
    const ids = await w.givenManySchedules({ guardians: 10, juniors: RUNS, guardianBalance: '100000.00', amount: '5.55', frequency: 'DAILY', anchorAt });
    let lock: StopsRedisOnceTaken | null = null;
    const producer = producerProcess(w, {
      connectionName: `${w.broker.prefix}.redis-producer`,
      env: { REDIS_URL: own.url, REDIS_KEY_PREFIX: 'faults:' },
      lock: (inner) => (lock = new StopsRedisOnceTaken(inner, own)),
    });
    const produce = () => producer.runJob('allowance.enqueue', { trigger: 'schedule' });

    const during = await produce();
    const releaseFailures = w.logged('JOB_LOCK_RELEASE_FAIL').length;
    const whileDown = await produce().then(
      (result) => result.status,
      (error: unknown) => `refused: ${error instanceof Error ? error.message : String(error)}`,
    );
    const auditWhileDown = await w.knex('cron_runs').count<Array<{ n: string }>>({ n: '*' });
    await own.start();
    await waitFor(async () => (await client!.ping().catch(() => null)) === 'PONG', 'the lock client to reconnect', 30_000);
    await waitFor(async () => (await creditCount(w.knex)) === RUNS, 'the first runs to be credited');
    w.clock.advance(DAY);
    const after = await produce();
    await waitFor(async () => (await creditCount(w.knex)) === 2 * RUNS, 'the next runs to be credited');
    const invariants = await checkInvariants(w.knex, {
      runs: ids.flatMap((scheduleId) => [
        { scheduleId, runAt: anchorAt },
        { scheduleId, runAt: new Date(anchorAt.getTime() + DAY) },
      ]),
      deadLettered: new Set(),
    });
    report.finish({
      load: `${RUNS} due runs published, then ${RUNS} more after Redis is back; 2 workers`,
      faults: `${lock!.stops} Redis stop (SIGKILL) mid-run; ${releaseFailures} JOB_LOCK_RELEASE_FAIL; run while down: ${whileDown.split(':')[0]}`,
      violations: invariants.total,
    });
    await producer.close();
    expect(lock!.stops).to.equal(1);
    expect(during.status === 'SUCCESS' && during.summary).to.include({ publishedCount: RUNS });
    expect(releaseFailures).to.equal(1);
    expect(whileDown).to.match(/^refused: /);
    expect(Number(auditWhileDown[0]!.n), 'a refused run records nothing').to.equal(1);
    expect(after.status === 'SUCCESS' && after.summary).to.include({ publishedCount: RUNS });
    expect(invariants.total, invariants.describe()).to.equal(0);
    await assertMoneyConserved(w.knex);
  });

  it('a settlement run completes with Redis gone, logs the failed release, and the next run after Redis is back completes', async () => {
    const report = startScenario('Redis stopped during a banca job (settlement)');
    const own = redis!;
    if (!own.running) await own.start();
    await waitFor(async () => (await client!.ping().catch(() => null)) === 'PONG', 'the lock client to reconnect', 30_000);
    jobs = await createJobWorld('f_redis_job');
    await seedDemo(jobs.knex, { now: new Date() });
    await jobs.knex('account_statement_settlement_config').update({ batch_size: 40 });
    let lock: StopsRedisOnceTaken | null = null;
    const instance = await jobs.instance({
      lock: { kind: 'redis', url: own.url, prefix: `faults:${jobs.schema.schema}:` },
      decorateLock: (inner) => (lock = new StopsRedisOnceTaken(inner, own)),
    });

    const during = await instance.run('settlement', { trigger: 'manual', userId: 'faults' });
    const releaseFailures = instance.logged('JOB_LOCK_RELEASE_FAIL').length;
    const whileDown = await instance.run('settlement', { trigger: 'manual', userId: 'faults' }).then(
      (result) => result.status,
      (error: unknown) => `refused: ${error instanceof Error ? error.message : String(error)}`,
    );
    await own.start();
    await waitFor(async () => (await client!.ping().catch(() => null)) === 'PONG', 'the lock client to reconnect', 30_000);
    const after = await instance.run('settlement', { trigger: 'manual', userId: 'faults' });
    const invariants = await checkInvariants(jobs.knex);
    const settled = (result: typeof during) => (result.status === 'SUCCESS' ? (result.summary as { settledCount: number }).settledCount : 0);
    report.finish({
      load: `demo banca, settlement batches of 40 (settled ${settled(during)} + ${settled(after)})`,
      faults: `${lock!.stops} Redis stop (SIGKILL) mid-run; ${releaseFailures} JOB_LOCK_RELEASE_FAIL; run while down: ${whileDown.split(':')[0]}`,
      violations: invariants.total,
    });
    expect(during.status, JSON.stringify(during)).to.equal('SUCCESS');
    expect(releaseFailures).to.equal(1);
    expect(whileDown).to.match(/^refused: /);
    expect(after.status, JSON.stringify(after)).to.equal('SUCCESS');
    expect(settled(after)).to.be.greaterThan(0);
    expect((await jobs.cronRuns('settlement')).map((run) => run.status)).to.deep.equal(['SUCCESS', 'SUCCESS']);
    expect(invariants.total, invariants.describe()).to.equal(0);
  });
});
