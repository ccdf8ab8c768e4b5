import type { Knex } from 'knex';
import { KnexSettlementConfigRepository, KnexStatementRepository, seedScale } from '@banca/adapters-postgres';
import { SETTLEMENT_PENDING_COUNT_LIMIT, addCRDays, settlementCutoff, toCRDateString } from '@banca/domain';
import { fixedClock, memoryLogger, settleStatements, type StatementRepository } from '@banca/domain/ports';
import { DATABASE_PREFIX, freshDatabase, settle } from './bench-db';
import { growthRow } from './closing.bench';
import { fmtCount, fmtMs, fmtRate, log, median, timed, timeRow, type FigureResult, type GrowthPoint } from './measure';
import type { BenchSizes } from './sizes';

const AGE_DAYS = 7;
const HISTORY_DAYS = 5;

/**
 * The baseline: the same batch under the same chain rules, in one statement written for this data by
 * hand. The oldest eligible days (unsettled statements with activity and unmarked movements, after the
 * entity's latest settled day) in (date, dimension, entity) order, read from both partial indexes in
 * that order and merged; their movement sums; one opening balance per entity; the running balance;
 * a statement inserted for each day with movements only, the others updated; the movements marked
 * with their statement. Left out: the chain lock, SKIP LOCKED and the hold-back of rows another run
 * holds, and the statements without activity that follow a batch (this data has none).
 */
export const RAW_SETTLE_SQL = `
WITH days AS MATERIALIZED (
  SELECT DISTINCT u.date, u.dimension, u.entity_id
  FROM (
    (SELECT a.date, a.dimension, a.entity_id FROM account_statements a
     WHERE NOT a.is_settled AND a.date < ?::date AND (a.ticket_count > 0 OR a.total_paid > 0 OR a.total_collected > 0)
       AND NOT EXISTS (SELECT 1 FROM account_statements s WHERE s.dimension = a.dimension AND s.entity_id = a.entity_id AND s.date >= a.date AND s.is_settled)
     ORDER BY a.date, a.dimension, a.entity_id LIMIT ?)
    UNION ALL
    (SELECT a.date, a.dimension, a.entity_id FROM account_movements a
     WHERE a.statement_id IS NULL AND NOT a.is_reversed AND a.date < ?::date
       AND NOT EXISTS (SELECT 1 FROM account_statements s WHERE s.dimension = a.dimension AND s.entity_id = a.entity_id AND s.date >= a.date AND s.is_settled)
     ORDER BY a.date, a.dimension, a.entity_id LIMIT ?)
  ) u
  ORDER BY u.date, u.dimension, u.entity_id
  LIMIT ?
),
totals AS MATERIALIZED (
  SELECT d.date, d.dimension, d.entity_id, s.id, coalesce(s.balance, 0) AS balance,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS paid,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS collected,
    (array_agg(m.vendedor_id))[1] AS vendedor_id, (array_agg(m.ventana_id))[1] AS ventana_id, (array_agg(m.banca_id))[1] AS banca_id
  FROM days d
  LEFT JOIN account_statements s ON s.dimension = d.dimension AND s.entity_id = d.entity_id AND s.date = d.date
  LEFT JOIN account_movements m ON m.dimension = d.dimension AND m.entity_id = d.entity_id AND m.date = d.date AND NOT m.is_reversed
  GROUP BY d.date, d.dimension, d.entity_id, s.id, s.balance
),
opening AS (
  SELECT f.dimension, f.entity_id,
    coalesce((SELECT s.remaining_balance FROM account_statements s WHERE s.dimension = f.dimension AND s.entity_id = f.entity_id AND s.date < f.date ORDER BY s.date DESC LIMIT 1), 0) AS remaining
  FROM (SELECT dimension, entity_id, min(date) AS date FROM days GROUP BY dimension, entity_id) f
),
computed AS MATERIALIZED (
  SELECT t.*, o.remaining + sum(t.balance - t.collected + t.paid) OVER (PARTITION BY t.dimension, t.entity_id ORDER BY t.date) AS remaining
  FROM totals t JOIN opening o ON o.dimension = t.dimension AND o.entity_id = t.entity_id
),
inserted AS (
  INSERT INTO account_statements (date, vendedor_id, ventana_id, banca_id, total_paid, total_collected, remaining_balance, is_settled, can_edit, settled_at, settled_by)
  SELECT c.date, c.vendedor_id, c.ventana_id, c.banca_id, c.paid, c.collected, c.remaining, true, false, ?::timestamptz, ?::text
  FROM computed c WHERE c.id IS NULL
  RETURNING id, dimension, entity_id, date
),
settled AS (
  UPDATE account_statements t
  SET total_paid = c.paid, total_collected = c.collected, remaining_balance = c.remaining, is_settled = true, can_edit = false,
      settled_at = ?::timestamptz, settled_by = ?::text, updated_at = now()
  FROM computed c WHERE t.id = c.id
  RETURNING t.id, t.dimension, t.entity_id, t.date
)
UPDATE account_movements m SET statement_id = x.id
FROM (SELECT * FROM inserted UNION ALL SELECT * FROM settled) x
WHERE m.dimension = x.dimension AND m.entity_id = x.entity_id AND m.date = x.date AND NOT m.is_reversed AND m.statement_id IS NULL`;

async function seedStatements(knex: Knex, entities: number, days: number, firstDay: string): Promise<void> {
  const h = (salt: string) => `abs(hashtext(v.id::text || ':' || g.i::text || ':${salt}'))`;
  await knex.raw(
    `INSERT INTO account_statements (date, vendedor_id, ventana_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions, balance,
                                     remaining_balance, is_settled, can_edit, settled_at, settled_by)
     SELECT ?::date + g.i, v.id, v.ventana_id, v.banca_id, 1 + ${h('n')} % 40, x.sales, x.payouts, x.commissions, x.sales - x.payouts - x.commissions,
            CASE WHEN g.i < ? THEN (${h('r')} % 200000 - 100000) / 100.0 ELSE 0 END,
            g.i < ?, g.i >= ?, CASE WHEN g.i < ? THEN now() END, CASE WHEN g.i < ? THEN 'seed' END
     FROM (SELECT id, ventana_id, banca_id FROM vendedores ORDER BY id LIMIT ?) v
     CROSS JOIN generate_series(0, ? - 1) AS g(i)
     CROSS JOIN LATERAL (SELECT (${h('s')} % 5000000) / 100.0 AS sales, (${h('p')} % 2000000) / 100.0 AS payouts, (${h('c')} % 300000) / 100.0 AS commissions) x`,
    [firstDay, HISTORY_DAYS, HISTORY_DAYS, HISTORY_DAYS, HISTORY_DAYS, HISTORY_DAYS, entities, days + HISTORY_DAYS],
  );
  await knex.raw(
    `INSERT INTO account_movements (vendedor_id, ventana_id, banca_id, date, type, amount)
     SELECT v.id, v.ventana_id, v.banca_id, ?::date + g.i, CASE WHEN ${h('t')} % 4 = 0 THEN 'payment' ELSE 'collection' END, 100 + ${h('a')} % 50000
     FROM (SELECT id, ventana_id, banca_id FROM vendedores ORDER BY id LIMIT ?) v
     CROSS JOIN generate_series(?, ? - 1) AS g(i)
     WHERE ${h('m')} % 3 = 0`,
    [firstDay, entities, HISTORY_DAYS, days + HISTORY_DAYS],
  );
  // Vendedores without statements whose movements make days with movements only: settling such a day
  // inserts its statement.
  await knex.raw(
    `INSERT INTO account_movements (vendedor_id, ventana_id, banca_id, date, type, amount)
     SELECT v.id, v.ventana_id, v.banca_id, ?::date + g.i, CASE WHEN ${h('t')} % 4 = 0 THEN 'payment' ELSE 'collection' END, 100 + ${h('a')} % 50000
     FROM (SELECT id, ventana_id, banca_id FROM vendedores ORDER BY id OFFSET ? LIMIT ?) v
     CROSS JOIN generate_series(?, ? - 1) AS g(i)
     WHERE ${h('m')} % 3 = 0`,
    [firstDay, entities, movementOnlyEntities(entities), HISTORY_DAYS, days + HISTORY_DAYS],
  );
}

/** A tenth as many vendedores again, with movements and no statements. */
const movementOnlyEntities = (entities: number) => Math.max(1, Math.floor(entities / 10));

const RESULT_COLUMNS = 'dimension, entity_id, date, total_paid, total_collected, remaining_balance';


export async function settlementBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('settlement');
  const { knex } = db;
  const now = new Date();
  const cutoff = settlementCutoff(now, AGE_DAYS);
  const statements = new KnexStatementRepository(knex);
  let dropped = false;
  try {
    const smallBacklog = await seedBacklog(knex, sizes, sizes.backlogStatements, now);
    const eligible = smallBacklog.eligible;
    await knex.raw(`CREATE TABLE bench_pristine AS SELECT id, total_paid, total_collected, remaining_balance, is_settled, can_edit, settled_at, settled_by, updated_at FROM account_statements`);
    await knex.raw('CREATE TABLE bench_results (side text, dimension text, entity_id uuid, date date, total_paid numeric, total_collected numeric, remaining_balance numeric)');
    await knex.raw('CREATE TABLE bench_marked (side text, movement_id uuid, dimension text, entity_id uuid, date date)');
    await settle(knex, ['bench_pristine']);

    const reset = async () => {
      await knex.raw('UPDATE account_movements SET statement_id = NULL WHERE statement_id IS NOT NULL');
      await knex.raw(`DELETE FROM account_statements s WHERE NOT EXISTS (SELECT 1 FROM bench_pristine p WHERE p.id = s.id)`);
      await knex.raw(`UPDATE account_statements s SET total_paid = p.total_paid, total_collected = p.total_collected, remaining_balance = p.remaining_balance,
        is_settled = p.is_settled, can_edit = p.can_edit, settled_at = p.settled_at, settled_by = p.settled_by, updated_at = p.updated_at
        FROM bench_pristine p WHERE s.id = p.id AND s.settled_by = 'bench'`);
      await knex.raw('VACUUM (ANALYZE) account_statements, account_movements');
    };
    const keep = async (side: string) => {
      await knex.raw(`INSERT INTO bench_results SELECT ?, ${RESULT_COLUMNS} FROM account_statements WHERE settled_by = 'bench'`, [side]);
      await knex.raw(`INSERT INTO bench_marked SELECT ?, m.id, s.dimension, s.entity_id, s.date FROM account_movements m JOIN account_statements s ON s.id = m.statement_id`, [side]);
    };

    const productTimes: number[] = [];
    const baselineTimes: number[] = [];
    let settledByProduct = 0;
    for (let round = 0; round < 3; round += 1) {
      const baseline = await timed(() => knex.raw(RAW_SETTLE_SQL, [cutoff, sizes.settleBatch, cutoff, sizes.settleBatch, sizes.settleBatch, now.toISOString(), 'bench', now.toISOString(), 'bench']));
      baselineTimes.push(baseline.ms);
      if (round === 0) await keep('baseline');
      await reset();
      const product = await timed(() => statements.settleEligible({ cutoff, batchSize: sizes.settleBatch, settledAt: now, settledBy: 'bench' }));
      productTimes.push(product.ms);
      settledByProduct = product.value.settledCount;
      if (round === 0) await keep('product');
      await reset();
    }
    const { rows: diff } = await knex.raw(`
      SELECT (SELECT count(*) FROM bench_results WHERE side = 'product')::int AS product, (SELECT count(*) FROM bench_results WHERE side = 'baseline')::int AS baseline,
        (SELECT count(*) FROM ((SELECT ${RESULT_COLUMNS} FROM bench_results WHERE side = 'product') EXCEPT (SELECT ${RESULT_COLUMNS} FROM bench_results WHERE side = 'baseline')) d)::int AS differing,
        (SELECT count(*) FROM bench_results WHERE side = 'product' AND NOT EXISTS (SELECT 1 FROM bench_pristine p JOIN account_statements s ON s.id = p.id
          WHERE s.dimension = bench_results.dimension AND s.entity_id = bench_results.entity_id AND s.date = bench_results.date))::int AS inserted,
        (SELECT count(*) FROM bench_marked WHERE side = 'product')::int AS marked,
        (SELECT count(*) FROM ((SELECT movement_id, dimension, entity_id, date FROM bench_marked WHERE side = 'product') EXCEPT (SELECT movement_id, dimension, entity_id, date FROM bench_marked WHERE side = 'baseline')) d)::int AS marked_differing`);
    const check = diff[0] as { product: number; baseline: number; differing: number; inserted: number; marked: number; marked_differing: number };
    const productMs = median(productTimes);
    const baselineMs = median(baselineTimes);
    log(`settlement: batch product ${fmtMs(productMs)}, baseline ${fmtMs(baselineMs)}`);

    const cleared = await clearBacklog(knex, sizes, now, eligible);
    const { runs, settledTotal, backlog, slowest } = cleared;
    await db.drop();
    dropped = true;

    const largeDb = await freshDatabase('settlement_large');
    let large: { backlog: Backlog; cleared: Cleared };
    try {
      const backlog = await seedBacklog(largeDb.knex, sizes, sizes.backlogLarge, now);
      large = { backlog, cleared: await clearBacklog(largeDb.knex, sizes, now, backlog.eligible) };
    } finally {
      await largeDb.drop();
    }
    const backlogRow = (statementsCleared: number, c: Cleared) => ({
      figure: `settlement backlog of ${fmtCount(statementsCleared)} eligible days cleared`,
      product: `${c.runs} runs, ${fmtMs(c.backlog.ms)} (${fmtRate(c.settledTotal / (c.backlog.ms / 1000), 'stmt')})`,
      baseline: '—',
      ratio: null,
      target: '—',
      met: null,
    });
    const backlogCheck = (statementsCleared: number, c: Cleared) => ({
      name: `settlement backlog of ${fmtCount(statementsCleared)} fully settled`,
      ok: c.remaining === 0 && c.settledTotal === statementsCleared,
      detail: `${fmtCount(c.settledTotal)} settled in ${c.runs} runs (batch ${fmtCount(sizes.settleBatch)}), ${c.remaining} left`,
    });
    const points: GrowthPoint[] = [
      { size: eligible, productSeconds: backlog.ms / 1000, baselineSeconds: null },
      { size: large.backlog.eligible, productSeconds: large.cleared.backlog.ms / 1000, baselineSeconds: null },
    ];
    const sizeGrowth = points[1]!.size / points[0]!.size;
    const timeGrowth = points[1]!.productSeconds / points[0]!.productSeconds;

    const batchFigure = `settlement of a ${fmtCount(sizes.settleBatch)} batch (median of 3)`;
    return {
      rows: [
        timeRow(batchFigure, productMs, baselineMs, 2),
        backlogRow(eligible, cleared),
        backlogRow(large.backlog.eligible, large.cleared),
        growthRow('settlement backlog', points[0]!, points[1]!),
      ],
      checks: [
        {
          name: `settlement batch: product rows = raw statement rows`,
          ok: check.differing === 0 && check.product === check.baseline && check.product === Math.min(sizes.settleBatch, eligible) && settledByProduct === check.product &&
            check.inserted > 0 && check.marked > 0 && check.marked_differing === 0,
          detail: `${fmtCount(check.product)} settled by the product (${fmtCount(check.inserted)} of them inserted for days with movements only), ${fmtCount(check.baseline)} by the raw statement, ${check.differing} differing in day, paid, collected or remaining balance; ${fmtCount(check.marked)} movements marked, ${check.marked_differing} marked differently`,
        },
        backlogCheck(eligible, cleared),
        backlogCheck(large.backlog.eligible, large.cleared),
      ],
      notes: [
        `Settlement batch: the product is KnexStatementRepository.settleEligible (the statement settleStatements issues per run, in a transaction holding the chain lock); ` +
          `the raw statement takes the same oldest days from both partial indexes, sums their movements, inserts a statement for each of the ${fmtCount(check.inserted)} days with movements only, settles the rest and marks the ${fmtCount(check.marked)} movements, ` +
          'without the chain lock, SKIP LOCKED and the hold-back of rows held by a concurrent run, and without looking for statements without activity after the batch (this data has none). ' +
          `Backlog: settleStatements (count, settle, carry-forward) run after run with batch size ${fmtCount(sizes.settleBatch)}; the slowest run took ${fmtMs(slowest.ms)}. ` +
          `The ${fmtCount(large.backlog.eligible)} backlog is the same seeding at its size (${fmtCount(large.backlog.entities)} vendedores × ${large.backlog.days} days against ${fmtCount(smallBacklog.entities)} × ${smallBacklog.days}) in a database of its own (${DATABASE_PREFIX}_settlement_large), cleared the same way; its slowest run took ${fmtMs(large.cleared.slowest.ms)}. ` +
          `Each run of settleStatements first counts what is still eligible, up to ${fmtCount(SETTLEMENT_PENDING_COUNT_LIMIT)} days (countEligible with a limit): ${fmtMs(smallBacklog.boundedCountMs)} at ${fmtCount(eligible)} and ${fmtMs(large.backlog.boundedCountMs)} at ${fmtCount(large.backlog.eligible)}. ` +
          `Counting the whole backlog instead took ${fmtMs(smallBacklog.countMs)} and ${fmtMs(large.backlog.countMs)}; done by every run, with the backlog shrinking from full to empty, an estimate of runs × whole count ÷ 2 = ${fmtMs((large.cleared.runs * large.backlog.countMs) / 2)} more to clear the larger one, growing with the square of the backlog. ` +
          `Where the backlogs' time went, by the repository's calls: at ${fmtCount(eligible)}, ${spentText(cleared)}; at ${fmtCount(large.backlog.eligible)}, ${spentText(large.cleared)}. ` +
          `Each run's carry-forward reads the latest statement of every entity that has statements (${fmtCount(smallBacklog.entities)} vendedores against ${fmtCount(large.backlog.entities)} here; each backlog's seeding gives about 100 days to a vendedor, so the two grow together in this data).`,
      ],
      growthRows: [
        {
          growth: `settlement backlog cleared, ${fmtCount(eligible)} → ${fmtCount(large.backlog.eligible)} eligible days`,
          smaller: `${runs} runs, ${fmtMs(backlog.ms)}, ${fmtRate(settledTotal / (backlog.ms / 1000), 'stmt')}`,
          larger: `${large.cleared.runs} runs, ${fmtMs(large.cleared.backlog.ms)}, ${fmtRate(large.cleared.settledTotal / (large.cleared.backlog.ms / 1000), 'stmt')}`,
          change: `size ×${sizeGrowth.toFixed(2)}, time ×${timeGrowth.toFixed(2)}: ${(timeGrowth / sizeGrowth).toFixed(2)}× linear`,
        },
      ],
      growth: [{ figure: 'settlement backlog', unit: 'eligible days', points }],
      causes: {
        [batchFigure]:
          'EXPLAIN ANALYZE of SETTLE_ELIGIBLE_SQL (packages/adapters-postgres/src/settlement/settle-eligible.sql.ts) against the raw statement: the product does the same reads plus ' +
          'the row locks (SKIP LOCKED), the check for rows held by another run and the statements without activity after each entity\'s last day (two index probes per entity)',
      },
    };
  } finally {
    if (!dropped) await db.drop();
  }
}

interface Backlog {
  eligible: number;
  /** The time of one countEligible over the whole backlog, without a limit. */
  countMs: number;
  /** The time of one countEligible up to the limit a settlement run counts to. */
  boundedCountMs: number;
  /** Vendedores with statements, and their days each. */
  entities: number;
  days: number;
}

interface Cleared {
  runs: number;
  settledTotal: number;
  backlog: { ms: number };
  slowest: { ms: number };
  remaining: number;
  /** Time spent in each call of the statement repository over the whole backlog. */
  spent: { count: number; settle: number; carryForward: number };
  firstSettleMs: number;
  lastSettleMs: number;
}

/** The product's repository, with the time of each kind of call added up. */
function timedStatements(inner: StatementRepository, spent: Cleared['spent']): StatementRepository {
  const add = async <T>(kind: keyof Cleared['spent'], call: () => Promise<T>): Promise<T> => {
    const { ms, value } = await timed(call);
    spent[kind] += ms;
    return value;
  };
  return {
    countEligible: (cutoff, atMost) => add('count', () => inner.countEligible(cutoff, atMost)),
    settleEligible: (command) => add('settle', () => inner.settleEligible(command)),
    carryForward: (command) => add('carryForward', () => inner.carryForward(command)),
  };
}

const spentText = (c: Cleared) => {
  const perRun = (ms: number) => `${fmtMs(ms)} (${fmtMs(ms / c.runs)} a run)`;
  return `counting ${perRun(c.spent.count)}, settling ${perRun(c.spent.settle)}, carrying forward ${perRun(c.spent.carryForward)} (first run's settle ${fmtMs(c.firstSettleMs)}, last full run's ${fmtMs(c.lastSettleMs)})`;
};

/**
 * The settlement's data and `backlog` eligible statements (≈100 days per vendedor, more when that would take
 * the vendedores the days with movements only need) with days of movements only; returns the eligible count.
 */
async function seedBacklog(knex: Knex, sizes: BenchSizes, backlog: number, now: Date): Promise<Backlog> {
  const cutoff = settlementCutoff(now, AGE_DAYS);
  const withStatements = Math.max(1, Math.floor(sizes.vendedores / 1.1));
  const entities = Math.min(withStatements, Math.max(1, Math.ceil(backlog / 100)));
  const days = Math.ceil(backlog / entities);
  const firstDay = addCRDays(cutoff, -(days + HISTORY_DAYS));
  const seeding = await timed(async () => {
    log(`settlement: seeding ${fmtCount(entities * days)} eligible statements (${fmtCount(entities)} vendedores × ${days} days, ${HISTORY_DAYS} settled days before) and days with movements only`);
    await seedScale(knex, { tickets: 0, vendedores: sizes.vendedores, ventanas: sizes.ventanas, bancas: sizes.bancas, month: toCRDateString(now).slice(0, 7), movements: 0 });
    await seedStatements(knex, entities, days, firstDay);
  });
  await settle(knex, ['account_statements', 'account_movements']);
  const repository = new KnexStatementRepository(knex);
  const counted = await timed(() => repository.countEligible(cutoff));
  const bounded = await timed(() => repository.countEligible(cutoff, SETTLEMENT_PENDING_COUNT_LIMIT));
  const eligible = counted.value;
  log(`settlement: ${fmtCount(eligible)} eligible days, ${fmtCount(eligible - entities * days)} of them with movements only, seeded in ${fmtMs(seeding.ms)}; counted in ${fmtMs(counted.ms)}, up to ${fmtCount(bounded.value)} in ${fmtMs(bounded.ms)}`);
  return { eligible, countMs: counted.ms, boundedCountMs: bounded.ms, entities, days };
}

/** settleStatements run after run, as the scheduler's job runs it, until nothing is eligible. */
async function clearBacklog(knex: Knex, sizes: BenchSizes, now: Date, eligible: number): Promise<Cleared> {
  const cutoff = settlementCutoff(now, AGE_DAYS);
  const statements = new KnexStatementRepository(knex);
  await knex.raw(`INSERT INTO account_statement_settlement_config (id, batch_size, settlement_age_days) VALUES (1, ?, ?)
    ON CONFLICT (id) DO UPDATE SET batch_size = EXCLUDED.batch_size, settlement_age_days = EXCLUDED.settlement_age_days`, [sizes.settleBatch, AGE_DAYS]);
  const spent = { count: 0, settle: 0, carryForward: 0 };
  const deps = { config: new KnexSettlementConfigRepository(knex), statements: timedStatements(statements, spent), clock: fixedClock(now), logger: memoryLogger('bench') };
  const settleTimes: number[] = [];
  let runs = 0;
  let settledTotal = 0;
  const slowest = { ms: 0 };
  const backlog = await timed(async () => {
    for (;;) {
      const settledBefore = spent.settle;
      const run = await timed(() => settleStatements(deps, { trigger: 'manual', userId: 'bench-backlog' }));
      if (run.value.settledCount === sizes.settleBatch) settleTimes.push(spent.settle - settledBefore);
      runs += 1;
      slowest.ms = Math.max(slowest.ms, run.ms);
      settledTotal += run.value.settledCount;
      if (!run.value.moreRecordsAvailable && run.value.settledCount === run.value.totalPending) break;
      if (runs > eligible) throw new Error('settlement backlog did not drain');
    }
  });
  const remaining = await statements.countEligible(cutoff);
  const cleared = { runs, settledTotal, backlog, slowest, remaining, spent, firstSettleMs: settleTimes[0] ?? 0, lastSettleMs: settleTimes[settleTimes.length - 1] ?? 0 };
  log(`settlement: backlog ${fmtCount(settledTotal)} in ${runs} runs, ${fmtMs(backlog.ms)}: ${spentText(cleared)}`);
  return cleared;
}
