import { expect } from 'chai';
import type { Knex } from 'knex';
import Redis from 'ioredis';
import { createPostgresKnex, createPostgresWarmup, KnexSorteoRepository } from '@banca/adapters-postgres';
import { RedisJobLock } from '@banca/adapters-redis';
import { DomainError } from '@banca/domain';
import { updateSettlementConfig, type SettlementSummary } from '@banca/domain/ports';
import { BancaBook, givenLoteria } from './banca-book.test-helpers';
import { closedPort, createJobWorld, payloadOf, summaryOf, type JobWorld } from './jobs.test-helpers';

const NOW = new Date('2025-06-20T07:30:00Z');
const TIEMPOS = { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } };

/** A pool on a port nothing listens on; its refused connections are the point, not worth a console warning. */
function unreachablePool(port: number): Knex {
  const knex = createPostgresKnex({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, acquireTimeoutMs: 2_000 });
  (knex.client as { logger: { warn: (message: string) => void } }).logger.warn = () => undefined;
  return knex;
}

describe('job runs: warm-up, lock, failure classification and bad input', function () {
  let world: JobWorld;

  beforeEach(async () => {
    world = await createJobWorld('jobs_outcomes');
  });
  afterEach(() => world?.close());

  const count = async (table: string) => Number(((await world.knex(table).count('* as n')) as Array<{ n: string }>)[0]!.n);

  it('refuses an unknown job, a bad month, a month for another job, an invalid instant and an overlong user before anything runs', async () => {
    const instance = await world.instance();
    await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: TIEMPOS });
    for (const [name, options, code] of [
      ['sorteos.auto-creat', { now: NOW }, 'JOB.UNKNOWN'],
      ['monthly-closing', { month: '2025-13' }, 'TIME.INVALID_MONTH'],
      ['monthly-closing', { month: '2025-6' }, 'TIME.INVALID_MONTH'],
      ['monthly-closing', { month: '0000-01' }, 'TIME.INVALID_MONTH'],
      ['sorteos.auto-create', { month: '2025-06' }, 'JOB.INVALID_OPTIONS'],
      ['sorteos.auto-create', { now: new Date('yesterday') }, 'TIME.INVALID_INSTANT'],
      ['settlement', { userId: 'o'.repeat(129) }, 'JOB.INVALID_OPTIONS'],
    ] as const) {
      const error = await instance.run(name, options).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `${name} ${JSON.stringify(options)}`).to.be.instanceOf(DomainError).with.property('code', code);
    }
    expect(await count('cron_runs')).to.equal(0);
    expect(await count('sorteos')).to.equal(0);
    expect(await count('monthly_closing_balances')).to.equal(0);
    expect(instance.logs).to.deep.equal([]);
  });

  it('creates the sorteos of the valid lotteries and counts the one with a broken rulesJson in errorsCount', async () => {
    const instance = await world.instance();
    await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: TIEMPOS });
    const rota = await givenLoteria(world.knex, { name: 'Rota', rulesJson: { drawSchedule: { frequency: 'semanal', times: ['20:00'] } } });
    await givenLoteria(world.knex, { name: 'Nica', rulesJson: { drawSchedules: [{ frequency: 'diario', times: ['21:00'] }] } });
    const result = await instance.run('sorteos.auto-create', { now: NOW, userId: 'ops' });
    expect(summaryOf(result)).to.deep.equal({ createdCount: 7 * 3 + 7, skippedCount: 0, errorsCount: 1, executedAt: NOW.toISOString(), success: true });
    expect(payloadOf(instance.logged('SORTEOS_AUTO_CREATE_LOTERIA_ERROR')[0])).to.deep.include({ loteriaId: rota, code: 'LOTERIA.INVALID_DRAW_SCHEDULE' });
    expect(await count('sorteos')).to.equal(28);
  });

  it('refuses an invalid cron rule when the settlement config is saved, and keeps the stored one', async () => {
    const instance = await world.instance();
    const config = instance.ports.settlementConfig;
    for (const cronSchedule of ['0 3 * *', '61 3 * * *', '0 3 * * 8', 'every day', '0 0 30 2 *', '0 0 31 4 *']) {
      const error = await updateSettlementConfig({ config }, { cronSchedule }).catch((e: unknown) => e);
      expect(error, cronSchedule).to.be.instanceOf(DomainError).with.property('code', 'SCHEDULE.INVALID_CRON');
      const direct = await config.update({ cronSchedule }).catch((e: unknown) => e);
      expect(direct, `${cronSchedule} through the repository`).to.be.instanceOf(DomainError).with.property('code', 'SCHEDULE.INVALID_CRON');
    }
    expect((await config.get()).cronSchedule).to.equal('0 3 * * *');
    expect(await updateSettlementConfig({ config }, { cronSchedule: '30  2 * * 1-5' })).to.deep.include({ cronSchedule: '30 2 * * 1-5' });
  });

  it('runs a manual settlement while the config is disabled, recording who asked', async () => {
    const instance = await world.instance();
    const book = new BancaBook(world.knex);
    const vendedor = await book.vendedor(await book.ventana(await book.banca('Banca'), 'Ventana'), 'Vendedor');
    await book.ticket(vendedor, '2025-06-01', { amount: '1000.10', commission: '100.01' });
    await book.statement(vendedor, '2025-06-01');
    const scheduled = await instance.run('settlement', { trigger: 'schedule', now: NOW });
    expect(scheduled.status).to.equal('SKIPPED');
    const manual = await instance.run('settlement', { userId: 'ops', now: NOW });
    expect(summaryOf<SettlementSummary>(manual)).to.deep.include({ settledCount: 1, executedBy: 'ops', disabled: false });
    expect(await world.knex('account_statements').where({ date: '2025-06-01' }).first('settled_by', 'remaining_balance', 'is_settled')).to.deep.equal({
      settled_by: 'ops',
      remaining_balance: '900.09',
      is_settled: true,
    });
    expect((await world.cronRuns('settlement')).map((r) => [r.status, r.processed_count])).to.deep.equal([
      ['SKIPPED', 0],
      ['SUCCESS', 2],
    ]);
  });

  it('while another instance holds the Redis lock: a scheduled run skips unrecorded, a manual one is refused', async () => {
    const instance = await world.instance();
    await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: TIEMPOS });
    const other = new Redis(world.redis.url);
    try {
      const held = await new RedisJobLock(other, `${world.redis.prefix}lock:`).tryAcquire('sorteos.auto-create', 60_000);
      expect(held).to.not.equal(null);
      expect(await instance.run('sorteos.auto-create', { trigger: 'schedule', now: NOW })).to.deep.equal({
        status: 'SKIPPED',
        job: 'sorteos.auto-create',
        runId: null,
        reason: 'another run holds the job lock',
      });
      const refused = await instance.run('sorteos.auto-create', { now: NOW }).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(DomainError).with.property('code', 'JOB.ALREADY_RUNNING');
      expect(await count('sorteos')).to.equal(0);
      expect(await world.cronRuns()).to.deep.equal([]);
      await held!.release();
      expect((await instance.run('sorteos.auto-create', { now: NOW })).status).to.equal('SUCCESS');
    } finally {
      other.disconnect();
    }
  });

  it('skips a run whose database warm-up fails: JOB_SKIP, a SKIPPED row, no lock taken and nothing else done', async () => {
    // The warm-up runs on a pool whose server refuses connections, as when the database is down or
    // restarting; the audit repository keeps writing to the real schema so the SKIPPED row can be read.
    const port = await closedPort();
    const unreachable = unreachablePool(port);
    try {
      const instance = await world.instance({ override: () => ({ warmup: createPostgresWarmup(unreachable, { attempts: 2, initialDelayMs: 10 }) }) });
      await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: TIEMPOS });
      const result = await instance.run('sorteos.auto-create', { trigger: 'schedule', now: NOW });
      expect(result).to.have.property('status', 'SKIPPED');
      const skip = payloadOf(instance.logged('JOB_SKIP')[0]);
      expect(skip).to.have.all.keys('job', 'reason');
      expect(skip['reason']).to.match(/^database not ready: .*ECONNREFUSED/);
      const runs = await world.cronRuns();
      expect(runs.map((r) => [r.job_name, r.status, r.processed_count, r.error_message])).to.deep.equal([['sorteos.auto-create', 'SKIPPED', 0, skip['reason']]]);
      expect(await count('sorteos')).to.equal(0);
      const redis = new Redis(world.redis.url);
      try {
        expect(await redis.keys(`${world.redis.prefix}*`)).to.deep.equal([]);
      } finally {
        redis.disconnect();
      }
    } finally {
      await unreachable.destroy();
    }
  });

  it('classifies failures: JOB_FAIL { errorType, errorCode, error } and a FAILED row', async () => {
    // The sorteos repository on a pool that cannot reach its server: DB_UNREACHABLE.
    const port = await closedPort();
    const unreachable = unreachablePool(port);
    try {
      const instance = await world.instance({ override: () => ({ sorteos: new KnexSorteoRepository(unreachable) }) });
      const result = await instance.run('sorteos.auto-open', { trigger: 'schedule', now: NOW });
      expect(result).to.have.property('status', 'FAILED');
      const fail = payloadOf(instance.logged('JOB_FAIL')[0]);
      expect(fail).to.have.all.keys('job', 'errorType', 'errorCode', 'error');
      expect(fail).to.deep.include({ job: 'sorteos.auto-open', errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED' });
      const [run] = await world.cronRuns();
      expect(run).to.deep.include({ job_name: 'sorteos.auto-open', status: 'FAILED', processed_count: 0 });
      expect(run!.error_message).to.match(/^DB_UNREACHABLE: /);
    } finally {
      await unreachable.destroy();
    }

    // A statement cut by the server's statement_timeout while another session holds the table: QUERY_TIMEOUT.
    // Answered, logged and recorded with PostgreSQL's message alone, never the statement.
    const slow = await world.instance({ connection: { statementTimeoutMs: 300 } });
    const timeout = 'canceling statement due to statement timeout';
    await world.knex.transaction(async (trx) => {
      await trx.raw('LOCK TABLE sorteos IN ACCESS EXCLUSIVE MODE');
      const result = await slow.run('sorteos.auto-close', { trigger: 'schedule', now: NOW });
      expect(result).to.have.property('status', 'FAILED');
      expect(result.status === 'FAILED' && result.error.message).to.equal(timeout);
    });
    expect(payloadOf(slow.logged('JOB_FAIL')[0])).to.deep.equal({ job: 'sorteos.auto-close', errorType: 'QUERY_TIMEOUT', errorCode: '57014', error: timeout });
    expect((await world.cronRuns('sorteos.auto-close')).map((r) => [r.status, r.error_message])).to.deep.equal([['FAILED', `QUERY_TIMEOUT: ${timeout}`]]);
  });
});
