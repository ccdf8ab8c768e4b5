import { expect } from 'chai';
import { addCRDays, DomainError, JOBS, type JobName } from '@banca/domain';
import { updateSettlementConfig, type JobRunResult } from '@banca/domain/ports';
import { amountFor, BancaBook, givenLoteria, type Entity } from './banca-book.test-helpers';
import { createJobWorld, cronSlots, raceAt, type JobInstance, type JobWorld, type LockChoice } from './jobs.test-helpers';

const WALK_FROM = new Date('2025-06-30T03:00:00Z');
const WALK_TO = new Date('2025-07-03T03:00:00Z');
const JOB_RULES: Array<readonly [JobName, string]> = (['sorteos.auto-close', 'sorteos.auto-open', 'sorteos.auto-create', 'settlement', 'monthly-closing'] as const).map(
  (job) => [job, JOBS[job].cron] as const,
);
const SLOTS = cronSlots(JOB_RULES, WALK_FROM, WALK_TO);

/** A banca with lotteries, ten days of sales and statements, and settlement enabled. */
async function givenBanca(world: JobWorld): Promise<void> {
  await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } } });
  await givenLoteria(world.knex, { name: 'Nica', rulesJson: { drawSchedule: { frequency: 'semanal', daysOfWeek: [2, 5], times: ['20:00'] } } });
  const book = new BancaBook(world.knex);
  const vendedores: Entity[] = [];
  const ventanas: Entity[] = [];
  for (const b of [1, 2]) {
    const banca = await book.banca(`Banca ${b}`);
    for (const v of [1, 2]) {
      const ventana = await book.ventana(banca, `Ventana ${b}.${v}`);
      ventanas.push(ventana);
      for (const s of [1, 2, 3]) vendedores.push(await book.vendedor(ventana, `Vendedor ${b}.${v}.${s}`));
    }
  }
  for (let day = '2025-06-21', i = 0; day <= '2025-06-30'; day = addCRDays(day, 1), i += 1) {
    for (const [n, vendedor] of vendedores.entries()) {
      if ((i + n) % 4 === 3) continue;
      await book.ticket(vendedor, day, { amount: amountFor(i * 31 + n, 100, 400), payout: (i + n) % 5 === 0 ? amountFor(n, 50, 300) : '0', commission: amountFor(i + n, 3, 9), listero: '1.25' });
      if ((i + n) % 3 === 0) await book.movement(vendedor, day, 'collection', amountFor(i + 2 * n, 40, 90));
      if ((i + n) % 7 === 0) await book.movement(vendedor, day, 'payment', amountFor(i + 3 * n, 10, 30));
      await book.statement(vendedor, day);
    }
    for (const ventana of ventanas) await book.statement(ventana, day);
  }
  const config = (await world.instance({ lock: { kind: 'none' } })).ports.settlementConfig;
  await updateSettlementConfig({ config }, { enabled: true, settlementAgeDays: 2 });
}

/** What the jobs leave behind, by names rather than generated ids, without row timestamps. */
async function snapshot(world: JobWorld) {
  const { rows } = (await world.knex.raw(`
    WITH names AS (
      SELECT 'vendedor' AS dimension, id, name FROM vendedores UNION ALL
      SELECT 'ventana', id, name FROM ventanas UNION ALL SELECT 'banca', id, name FROM bancas
    )
    SELECT json_build_object(
      'sorteos', (SELECT json_agg(json_build_array(l.name, s.name, s.scheduled_at, s.status) ORDER BY s.scheduled_at, l.name)
                  FROM sorteos s JOIN loterias l ON l.id = s.loteria_id),
      'statements', (SELECT json_agg(json_build_array(n.name, a.date, a.ticket_count, a.balance, a.total_paid, a.total_collected,
                       a.remaining_balance, a.is_settled, a.can_edit, a.settled_at, a.settled_by) ORDER BY n.name, a.date)
                     FROM account_statements a JOIN names n ON n.dimension = a.dimension AND n.id = a.entity_id),
      'closings', (SELECT json_agg(json_build_array(c.closing_month, n.name, c.ticket_count, c.net_balance, c.total_paid, c.total_collected,
                     c.opening_balance, c.remaining_balance, c.closed_at, c.closed_by) ORDER BY c.closing_month, n.name)
                   FROM monthly_closing_balances c JOIN names n ON n.dimension = c.dimension AND n.id = c.entity_id)
    ) AS state
  `)) as { rows: Array<{ state: unknown }> };
  return rows[0]!.state;
}

const processedOf = (result: JobRunResult<object>): number => {
  if (result.status !== 'SUCCESS') return 0;
  const s = result.summary as Record<string, unknown>;
  if (result.job === 'settlement') return (s['settledCount'] as number) + (s['carryForward'] as { createdCount: number }).createdCount;
  if (result.job === 'monthly-closing') return s['totalSuccess'] as number;
  return (s['createdCount'] ?? s['openedCount'] ?? s['closedCount']) as number;
};

const fulfilled = (outcomes: PromiseSettledResult<JobRunResult<object>>[]): JobRunResult<object>[] =>
  outcomes.map((o) => {
    if (o.status === 'rejected') throw o.reason;
    return o.value;
  });

describe('two scheduler instances at once, and the same use case started twice', function () {
  let reference: { state: unknown; processed: number[] };

  before(async () => {
    // The same three days on a single instance: what each slot does, and what is left at the end.
    const world = await createJobWorld('jobs_reference');
    try {
      await givenBanca(world);
      const single = await world.instance();
      const processed: number[] = [];
      for (const { job, at } of SLOTS) {
        const result = await single.runAt(job, at);
        expect(result.status, `${job} at ${at.toISOString()}`).to.equal('SUCCESS');
        processed.push(processedOf(result));
      }
      reference = { state: await snapshot(world), processed };
    } finally {
      await world.close();
    }
    expect(reference.processed.filter((n) => n > 0).length, 'the walk does something at most slots').to.be.greaterThan(SLOTS.length / 2);
  });

  async function racingWorld(label: string, lock: (world: JobWorld) => LockChoice): Promise<{ world: JobWorld; instances: JobInstance[] }> {
    const world = await createJobWorld(label);
    await givenBanca(world);
    const instances = [await world.instance({ lock: lock(world) }), await world.instance({ lock: lock(world) })];
    return { world, instances };
  }

  it('two instances sharing a Redis lock prefix, on their own pools, run each slot once', async () => {
    const { world, instances } = await racingWorld('jobs_two_redis', (w) => ({ kind: 'redis', prefix: w.redis.prefix }));
    try {
      for (const [n, { job, at }] of SLOTS.entries()) {
        const context = `${job} at ${at.toISOString()}`;
        const runsBefore = (await world.cronRuns()).length;
        const results = fulfilled(await raceAt(instances, job, at));
        const winners = results.filter((r) => r.status === 'SUCCESS');
        expect(winners, context).to.have.length(1);
        expect(results.find((r) => r.status !== 'SUCCESS'), context).to.deep.equal({ status: 'SKIPPED', job, runId: null, reason: 'another run holds the job lock' });
        expect(processedOf(winners[0]!), context).to.equal(reference.processed[n]);
        const runs = (await world.cronRuns()).slice(runsBefore);
        expect(runs.map((r) => [r.job_name, r.status, r.processed_count]), context).to.deep.equal([[job, 'SUCCESS', reference.processed[n]]]);
      }
      const loser = instances.flatMap((i) => i.logged('JOB_SKIP'));
      expect(loser).to.have.length(SLOTS.length);
      expect(await snapshot(world)).to.deep.equal(reference.state);
    } finally {
      await world.close();
    }
  });

  it('two instances on the PostgreSQL advisory lock: one runs, the other skips a scheduled slot or is refused a manual run', async () => {
    const { world, instances } = await racingWorld('jobs_two_advisory', (w) => ({ kind: 'advisory', namespace: `test:${w.schema.schema}` }));
    try {
      for (const [n, { job, at }] of SLOTS.entries()) {
        const results = fulfilled(await raceAt(instances, job, at));
        expect(results.map((r) => r.status).sort(), `${job} at ${at.toISOString()}`).to.deep.equal(['SKIPPED', 'SUCCESS']);
        expect(processedOf(results.find((r) => r.status === 'SUCCESS')!)).to.equal(reference.processed[n]);
      }
      expect(await snapshot(world)).to.deep.equal(reference.state);

      const manual = await raceAt(instances, 'settlement', WALK_TO, 'manual');
      expect(manual.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<JobRunResult<object>>).value.status)).to.deep.equal(['SUCCESS']);
      const refused = manual.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).to.be.instanceOf(DomainError).with.property('code', 'JOB.ALREADY_RUNNING');
    } finally {
      await world.close();
    }
  });

  it('with no lock at all, two runs of each use case at once write nothing twice: the database guards hold by themselves', async () => {
    const { world, instances } = await racingWorld('jobs_two_unlocked', () => ({ kind: 'none' }));
    try {
      for (const [n, { job, at }] of SLOTS.entries()) {
        const results = fulfilled(await raceAt(instances, job, at));
        const context = `${job} at ${at.toISOString()}`;
        expect(results.map((r) => r.status), context).to.deep.equal(['SUCCESS', 'SUCCESS']);
        // A closing re-writes every entity's row of the month by design; every other job's work is shared out.
        const total = results.map(processedOf).reduce((a, b) => a + b, 0);
        expect(total, context).to.equal(job === 'monthly-closing' ? 2 * reference.processed[n]! : reference.processed[n]);
      }
      expect(await snapshot(world)).to.deep.equal(reference.state);
    } finally {
      await world.close();
    }
  });
});
