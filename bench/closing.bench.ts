import type { Knex } from 'knex';
import { KnexReconciliationRepository, seedScale } from '@banca/adapters-postgres';
import { crMonthRange, previousCRMonth } from '@banca/domain';
import { reconcileMonth } from '@banca/domain/ports';
import { insertScaleSorteos, insertScaleTickets, type ScaleShape } from '@banca/adapters-postgres/testing';
import { freshDatabase, settle } from './bench-db';
import { BenchChild, fmtCount, fmtMiB, fmtMs, log, timed, timeRow, type CorrectnessCheck, type FigureResult, type FigureRow, type GrowthPoint, type GrowthTableRow } from './measure';
import { LARGE_SCALE_TICKETS, type BenchSizes } from './sizes';

const MONTH = '2025-05';
const SEED_CHUNK = 250_000;
const COLUMNS = `dimension, entity_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions,
  net_balance, total_paid, total_collected, opening_balance, remaining_balance`;

/**
 * The baseline: the whole month in one statement, the three dimensions of tickets in one GROUPING
 * SETS pass, movements by their own entity, the opening balances of the previous month, written
 * to a table shaped like monthly_closing_balances.
 */
const GROUPING_SETS_SQL = `
INSERT INTO bench_closing_baseline (closing_month, ${COLUMNS}, closed_at, closed_by)
WITH sales AS (
  SELECT CASE WHEN GROUPING(vendedor_id) = 0 THEN 'vendedor' WHEN GROUPING(ventana_id) = 0 THEN 'ventana' ELSE 'banca' END AS dimension,
    coalesce(vendedor_id, ventana_id, banca_id) AS entity_id,
    count(*) AS ticket_count, sum(total_amount) AS total_sales, sum(total_payout) AS total_payouts,
    CASE WHEN GROUPING(vendedor_id) = 0 THEN sum(commission_amount) ELSE sum(listero_commission_amount) END AS total_commissions
  FROM tickets
  WHERE business_date BETWEEN ?::date AND ?::date AND status NOT IN ('CANCELLED', 'EXCLUDED')
  GROUP BY GROUPING SETS ((vendedor_id), (ventana_id), (banca_id))
),
movements AS (
  SELECT dimension, entity_id,
    sum(amount) FILTER (WHERE type = 'payment') AS total_paid,
    sum(amount) FILTER (WHERE type = 'collection') AS total_collected
  FROM account_movements
  WHERE date BETWEEN ?::date AND ?::date AND NOT is_reversed
  GROUP BY dimension, entity_id
),
entities AS (
  SELECT 'vendedor' AS dimension, id AS entity_id, banca_id FROM vendedores WHERE is_active
  UNION ALL SELECT 'ventana', id, banca_id FROM ventanas WHERE is_active
  UNION ALL SELECT 'banca', id, id FROM bancas WHERE is_active
),
balances AS (
  SELECT e.dimension, e.entity_id, e.banca_id,
    coalesce(s.ticket_count, 0) AS ticket_count, coalesce(s.total_sales, 0) AS total_sales,
    coalesce(s.total_payouts, 0) AS total_payouts, coalesce(s.total_commissions, 0) AS total_commissions,
    coalesce(m.total_paid, 0) AS total_paid, coalesce(m.total_collected, 0) AS total_collected,
    coalesce(o.remaining_balance, 0) AS opening_balance
  FROM entities e
  LEFT JOIN sales s ON s.dimension = e.dimension AND s.entity_id = e.entity_id
  LEFT JOIN movements m ON m.dimension = e.dimension AND m.entity_id = e.entity_id
  LEFT JOIN monthly_closing_balances o ON o.closing_month = ? AND o.dimension = e.dimension AND o.entity_id = e.entity_id
)
SELECT ?, dimension, entity_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions,
  total_sales - total_payouts - total_commissions, total_paid, total_collected, opening_balance,
  opening_balance + total_sales - total_payouts - total_commissions - total_collected + total_paid, now(), NULL
FROM balances`;

const TICKET_SUMS = (column: string, commission: string) => `
SELECT count(*)::int AS ticket_count, coalesce(sum(total_amount), 0) AS total_sales, coalesce(sum(total_payout), 0) AS total_payouts,
  coalesce(sum(${commission}), 0) AS total_commissions
FROM tickets WHERE ${column} = ? AND business_date BETWEEN ?::date AND ?::date AND status NOT IN ('CANCELLED', 'EXCLUDED')`;

const PER_ENTITY_DIMENSIONS = {
  vendedor: { table: 'vendedores', bancaId: 'banca_id', sums: TICKET_SUMS('vendedor_id', 'commission_amount') },
  ventana: { table: 'ventanas', bancaId: 'banca_id', sums: TICKET_SUMS('ventana_id', 'listero_commission_amount') },
  banca: { table: 'bancas', bancaId: 'id', sums: TICKET_SUMS('banca_id', 'listero_commission_amount') },
} as const;
type Dimension = keyof typeof PER_ENTITY_DIMENSIONS;

/**
 * The original system's way, one entity at a time: its tickets, its movements, its opening balance,
 * then one upsert, each a round trip. Timed per dimension on a sample, projected to every entity.
 */
async function closePerEntity(knex: Knex, dimension: Dimension, entityId: string, bancaId: string, range: { firstDay: string; lastDay: string }, previousMonth: string): Promise<void> {
  const shape = PER_ENTITY_DIMENSIONS[dimension];
  const sales = (await knex.raw(shape.sums, [entityId, range.firstDay, range.lastDay])).rows[0];
  const movements = (
    await knex.raw(
      `SELECT coalesce(sum(amount) FILTER (WHERE type = 'payment'), 0) AS total_paid, coalesce(sum(amount) FILTER (WHERE type = 'collection'), 0) AS total_collected
       FROM account_movements WHERE dimension = ? AND entity_id = ? AND date BETWEEN ?::date AND ?::date AND NOT is_reversed`,
      [dimension, entityId, range.firstDay, range.lastDay],
    )
  ).rows[0];
  const opening = (await knex.raw('SELECT remaining_balance FROM monthly_closing_balances WHERE closing_month = ? AND dimension = ? AND entity_id = ?', [previousMonth, dimension, entityId])).rows[0];
  await knex.raw(
    `INSERT INTO bench_closing_per_entity (closing_month, ${COLUMNS}, closed_at, closed_by)
     SELECT ?::text, ?::text, ?::uuid, ?::uuid, ?::int, s::numeric, p::numeric, c::numeric, s::numeric - p::numeric - c::numeric, paid::numeric, coll::numeric, o::numeric,
       o::numeric + s::numeric - p::numeric - c::numeric - coll::numeric + paid::numeric, now(), NULL
     FROM (SELECT ?::numeric AS s, ?::numeric AS p, ?::numeric AS c, ?::numeric AS paid, ?::numeric AS coll, ?::numeric AS o) v
     ON CONFLICT (closing_month, dimension, entity_id) DO UPDATE SET ticket_count = EXCLUDED.ticket_count`,
    [
      MONTH, dimension, entityId, bancaId, sales.ticket_count,
      sales.total_sales, sales.total_payouts, sales.total_commissions, movements.total_paid, movements.total_collected, opening?.remaining_balance ?? '0',
    ],
  );
}

async function countDifferences(knex: Knex, table: string, where = ''): Promise<{ product: number; other: number; differing: number }> {
  const product = `SELECT ${COLUMNS} FROM monthly_closing_balances WHERE closing_month = '${MONTH}'`;
  const other = `SELECT ${COLUMNS} FROM ${table} WHERE closing_month = '${MONTH}'`;
  const { rows } = await knex.raw(`
    SELECT (SELECT count(*) FROM monthly_closing_balances WHERE closing_month = '${MONTH}')::int AS product,
      (SELECT count(*) FROM ${table})::int AS other,
      (SELECT count(*) FROM ((${other}) EXCEPT (${product} ${where ? `AND ${where}` : ''})) d)::int
      + (SELECT count(*) FROM ((${product} ${where ? `AND ${where}` : ''}) EXCEPT (${other})) d)::int AS differing`);
  return rows[0];
}

async function seedTickets(knex: Knex, shape: ScaleShape, from: number, to: number): Promise<void> {
  const sorteos = await insertScaleSorteos(knex, MONTH);
  for (let start = from; start <= to; start += SEED_CHUNK) {
    await insertScaleTickets(knex, MONTH, shape, sorteos, { from: start, to: Math.min(to, start + SEED_CHUNK - 1) });
    log(`closing: tickets ${fmtCount(Math.min(to, start + SEED_CHUNK - 1))}/${fmtCount(to)}`);
  }
}

export async function closingBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('closing');
  const { knex } = db;
  const shape = { bancas: sizes.bancas, ventanas: sizes.ventanas, vendedores: sizes.vendedores };
  const entities = shape.bancas + shape.ventanas + shape.vendedores;
  const small = Math.round(sizes.tickets * sizes.closingSmallFraction);
  const range = crMonthRange(MONTH);
  const previousMonth = previousCRMonth(range.start);
  const rows: FigureRow[] = [];
  const checks: CorrectnessCheck[] = [];
  const notes: string[] = [];
  const causes: Record<string, string> = {};
  const points: GrowthPoint[] = [];
  let peak = 0;
  let lastClosingMs = 0;
  try {
    log(`closing: seeding ${fmtCount(small)} tickets, ${fmtCount(entities)} entities`);
    await seedScale(knex, { ...shape, tickets: 0, month: MONTH });
    await seedTickets(knex, shape, 1, small);
    await knex.raw('CREATE TABLE bench_closing_baseline (LIKE monthly_closing_balances INCLUDING ALL)');
    await knex.raw('CREATE TABLE bench_closing_per_entity (LIKE monthly_closing_balances INCLUDING ALL)');

    for (const size of [small, sizes.tickets]) {
      if (size !== small) {
        log(`closing: growing to ${fmtCount(size)} tickets`);
        await seedTickets(knex, shape, small + 1, size);
      }
      await settle(knex, ['tickets', 'account_movements', 'vendedores', 'ventanas', 'bancas', 'monthly_closing_balances']);
      await knex.raw('SELECT count(*) FROM tickets');

      await knex.raw('TRUNCATE bench_closing_baseline');
      const baseline = await timed(() => knex.raw(GROUPING_SETS_SQL, [range.firstDay, range.lastDay, range.firstDay, range.lastDay, previousMonth, MONTH]));
      log(`closing: baseline ${fmtMs(baseline.ms)} at ${fmtCount(size)} tickets`);

      const child = new BenchChild('scheduler-closing.ts', { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
      let productMs: number;
      try {
        await child.next('ready', 120_000);
        child.send({ type: 'run', month: MONTH });
        const done = await child.next('done');
        if (done['status'] !== 'SUCCESS') throw new Error(`monthly-closing ended ${String(done['status'])}: ${JSON.stringify(done['summary'])}`);
        productMs = Number(done['ms']);
        peak = Math.max(peak, Number(done['peakRss']));
      } finally {
        await child.stop();
      }
      log(`closing: product ${fmtMs(productMs)} at ${fmtCount(size)} tickets`);
      lastClosingMs = productMs;

      const diff = await countDifferences(knex, 'bench_closing_baseline');
      checks.push({
        name: `closing ${fmtCount(size)} tickets: product rows = GROUPING SETS rows`,
        ok: diff.differing === 0 && diff.product === diff.other && diff.product === entities,
        detail: `${fmtCount(diff.product)} product rows, ${fmtCount(diff.other)} baseline rows, ${diff.differing} differing`,
      });
      const figure = `monthly closing, ${fmtCount(size)} tickets / ${fmtCount(entities)} entities`;
      rows.push(timeRow(figure, productMs, baseline.ms, 1.5));
      if (productMs > 1.5 * baseline.ms) {
        causes[figure] =
          'the product closes page by page (500 entities per statement, three dimensions one after the other: closeMonth in packages/domain/src/closing/monthly-closing.use-case.ts), ' +
          'so the ventana and banca pages each scan the whole month through tickets_business_date_idx (packages/adapters-postgres/src/closing/close-dimension-batch.sql.ts, CTE `sales`: ' +
          '`t.ventana_id IN (SELECT entity_id FROM page)` has no (ventana_id, business_date) or (banca_id, business_date) index), where the baseline reads the month once for all three dimensions; ' +
          'the product also pays the job runner\'s warm-up, lock and cron_runs audit row, a fixed cost that weighs most at small sizes';
      }
      points.push({ size, productSeconds: productMs / 1000, baselineSeconds: baseline.ms / 1000 });
    }

    // The month just closed, reconciled as `banca reconcile` and GET /admin/reconciliation do: one read-only statement.
    const reconciled = await timed(() => reconcileMonth({ reconciliation: new KnexReconciliationRepository(knex) }, { month: MONTH }));
    log(`closing: reconciliation ${fmtMs(reconciled.ms)} at ${fmtCount(sizes.tickets)} tickets (${reconciled.value.total} discrepancies)`);
    rows.push({
      ...timeRow(`reconciliation of the month, ${fmtCount(sizes.tickets)} tickets, against the closing of the same month`, reconciled.ms, lastClosingMs, 2),
      baseline: `${fmtMs(lastClosingMs)} (the closing)`,
    });
    notes.push(
      `Reconciliation: reconcileMonth over the product's PostgreSQL repository, in the bench process, on the month the product closed at ${fmtCount(sizes.tickets)} tickets; its figure is against that closing's time, not a raw baseline; it found ${reconciled.value.total} discrepancies in the generated data.`,
    );

    const sample = {
      vendedor: sizes.perEntitySample,
      ventana: Math.max(2, Math.round(sizes.perEntitySample / 40)),
      banca: Math.max(2, Math.round(sizes.perEntitySample / 100)),
    };
    let projectedMs = 0;
    const perDimension: string[] = [];
    for (const dimension of Object.keys(sample) as Dimension[]) {
      const shapeOf = PER_ENTITY_DIMENSIONS[dimension];
      const picked = (await knex.raw(`SELECT id::text, ${shapeOf.bancaId}::text AS banca_id FROM ${shapeOf.table} WHERE is_active ORDER BY md5(id::text) LIMIT ?`, [sample[dimension]])).rows as Array<{ id: string; banca_id: string }>;
      const { ms } = await timed(async () => {
        for (const entity of picked) await closePerEntity(knex, dimension, entity.id, entity.banca_id, range, previousMonth);
      });
      const total = (await knex(shapeOf.table).where('is_active', true).count<{ count: string }[]>({ count: '*' }))[0]!.count;
      projectedMs += (ms / picked.length) * Number(total);
      perDimension.push(`${dimension} ${fmtMs(ms / picked.length)} each × ${fmtCount(Number(total))}`);
    }
    const perEntityDiff = await countDifferences(knex, 'bench_closing_per_entity', `entity_id IN (SELECT entity_id FROM bench_closing_per_entity)`);
    checks.push({
      name: 'closing per-entity sample rows = product rows',
      ok: perEntityDiff.differing === 0,
      detail: `${perEntityDiff.other} sampled entities, ${perEntityDiff.differing} differing`,
    });
    const largest = points[points.length - 1]!;
    rows.push({
      figure: `closing the original way (one entity at a time), projected from ${sample.vendedor}+${sample.ventana}+${sample.banca} entities`,
      product: fmtMs(largest.productSeconds * 1000),
      baseline: `${fmtMs(projectedMs)} (per-entity)`,
      ratio: (largest.productSeconds * 1000) / projectedMs,
      target: '—',
      met: null,
    });
    notes.push(`Per-entity closing at ${fmtCount(sizes.tickets)} tickets: ${perDimension.join('; ')}; the set-based product is ${(projectedMs / (largest.productSeconds * 1000)).toFixed(1)}× faster.`);
    rows.push({ figure: 'peak RSS of the scheduler process during the closing', product: fmtMiB(peak), baseline: '—', ratio: null, target: '—', met: null });
    const [a, b] = points as [GrowthPoint, GrowthPoint];
    rows.push(growthRow('closing', a, b));
    const growthRows: GrowthTableRow[] = [
      {
        growth: `monthly closing (the scheduler process's monthly-closing job), ${fmtCount(a.size)} → ${fmtCount(b.size)} tickets`,
        smaller: fmtMs(a.productSeconds * 1000),
        larger: fmtMs(b.productSeconds * 1000),
        change: `size ×${(b.size / a.size).toFixed(2)}, time ×${(b.productSeconds / a.productSeconds).toFixed(2)}: ${(b.productSeconds / a.productSeconds / (b.size / a.size)).toFixed(2)}× linear`,
      },
    ];
    if (sizes.tickets < LARGE_SCALE_TICKETS) {
      growthRows.push({
        growth: `monthly closing, ${fmtCount(LARGE_SCALE_TICKETS * 0.2)} → ${fmtCount(LARGE_SCALE_TICKETS)} tickets`,
        smaller: '—',
        larger: '—',
        change: 'not run at this scale: `BENCH_SCALE=large npm run bench` closes 2,000,000 and 10,000,000 tickets',
      });
    }
    return { rows, checks, notes, causes, growthRows, growth: [{ figure: 'monthly closing', unit: 'tickets', points }] };
  } finally {
    await db.drop();
  }
}

export function growthRow(figure: string, a: GrowthPoint, b: GrowthPoint): FigureRow {
  const sizeRatio = b.size / a.size;
  const productGrowth = b.productSeconds / a.productSeconds;
  const baselineGrowth = a.baselineSeconds === null || b.baselineSeconds === null ? null : b.baselineSeconds / a.baselineSeconds;
  return {
    figure: `${figure} growth, ${fmtCount(a.size)} → ${fmtCount(b.size)} (size ×${sizeRatio.toFixed(2)})`,
    product: `time ×${productGrowth.toFixed(2)}`,
    baseline: baselineGrowth === null ? '—' : `time ×${baselineGrowth.toFixed(2)}`,
    ratio: productGrowth / sizeRatio,
    target: '—',
    met: null,
  };
}
