import type { Knex } from 'knex';
import { KnexSettlementConfigRepository, KnexStatementRepository, seedScale } from '@banca/adapters-postgres';
import { addCRDays, settlementCutoff, toCRDateString } from '@banca/domain';
import { fixedClock, memoryLogger, settleStatements } from '@banca/domain/ports';
import { freshDatabase, settle } from './bench-db';
import { fmtCount, fmtMs, fmtRate, log, median, timed, timeRow, type FigureResult } from './measure';
import type { BenchSizes } from './sizes';

const AGE_DAYS = 7;
const HISTORY_DAYS = 5;

/**
 * The baseline: the same oldest batch, the same movement sums and running balances, in one plain
 * UPDATE: no SKIP LOCKED, no hold-back of rows another run holds, no run detection (every
 * statement of this data has activity, so each entity's batch rows chain from its last statement).
 */
const RAW_SETTLE_SQL = `
WITH batch AS (
  SELECT id, dimension, entity_id, date, balance FROM account_statements
  WHERE NOT is_settled AND date < ?::date AND (ticket_count > 0 OR total_paid > 0 OR total_collected > 0)
  ORDER BY date, id LIMIT ?
),
sums AS (
  SELECT b.id, coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS paid, coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS collected
  FROM batch b LEFT JOIN account_movements m ON m.dimension = b.dimension AND m.entity_id = b.entity_id AND m.date = b.date AND NOT m.is_reversed
  GROUP BY b.id
),
opening AS (
  SELECT f.dimension, f.entity_id,
    coalesce((SELECT s.remaining_balance FROM account_statements s WHERE s.dimension = f.dimension AND s.entity_id = f.entity_id AND s.date < f.date ORDER BY s.date DESC LIMIT 1), 0) AS remaining
  FROM (SELECT dimension, entity_id, min(date) AS date FROM batch GROUP BY dimension, entity_id) f
),
computed AS (
  SELECT b.id, s.paid, s.collected, o.remaining + sum(b.balance - s.collected + s.paid) OVER (PARTITION BY b.dimension, b.entity_id ORDER BY b.date) AS remaining
  FROM batch b JOIN sums s ON s.id = b.id JOIN opening o ON o.dimension = b.dimension AND o.entity_id = b.entity_id
)
UPDATE account_statements t
SET total_paid = c.paid, total_collected = c.collected, remaining_balance = c.remaining, is_settled = true, can_edit = false,
    settled_at = ?::timestamptz, settled_by = ?::text, updated_at = now()
FROM computed c WHERE t.id = c.id`;

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
}

const RESULT_COLUMNS = 'id, total_paid, total_collected, remaining_balance';

export async function settlementBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('settlement');
  const { knex } = db;
  const now = new Date();
  const cutoff = settlementCutoff(now, AGE_DAYS);
  const entities = Math.min(sizes.vendedores, Math.max(1, Math.ceil(sizes.backlogStatements / 100)));
  const days = Math.ceil(sizes.backlogStatements / entities);
  const eligible = entities * days;
  const firstDay = addCRDays(cutoff, -(days + HISTORY_DAYS));
  const statements = new KnexStatementRepository(knex);
  try {
    log(`settlement: seeding ${fmtCount(eligible)} eligible statements (${fmtCount(entities)} vendedores × ${days} days, ${HISTORY_DAYS} settled days before)`);
    await seedScale(knex, { tickets: 0, vendedores: sizes.vendedores, ventanas: sizes.ventanas, bancas: sizes.bancas, month: toCRDateString(now).slice(0, 7), movements: 0 });
    await seedStatements(knex, entities, days, firstDay);
    await knex.raw(`CREATE TABLE bench_pristine AS SELECT id, total_paid, total_collected, remaining_balance, is_settled, can_edit, settled_at, settled_by, updated_at FROM account_statements`);
    await knex.raw('CREATE TABLE bench_results (side text, id uuid, total_paid numeric, total_collected numeric, remaining_balance numeric)');
    await settle(knex, ['account_statements', 'account_movements', 'bench_pristine']);

    const reset = async () => {
      await knex.raw(`UPDATE account_statements s SET total_paid = p.total_paid, total_collected = p.total_collected, remaining_balance = p.remaining_balance,
        is_settled = p.is_settled, can_edit = p.can_edit, settled_at = p.settled_at, settled_by = p.settled_by, updated_at = p.updated_at
        FROM bench_pristine p WHERE s.id = p.id AND s.settled_by = 'bench'`);
      await knex.raw('VACUUM (ANALYZE) account_statements');
    };
    const keep = (side: string) => knex.raw(`INSERT INTO bench_results SELECT ?, ${RESULT_COLUMNS} FROM account_statements WHERE settled_by = 'bench'`, [side]);

    const productTimes: number[] = [];
    const baselineTimes: number[] = [];
    let settledByProduct = 0;
    for (let round = 0; round < 3; round += 1) {
      const baseline = await timed(() => knex.raw(RAW_SETTLE_SQL, [cutoff, sizes.settleBatch, now.toISOString(), 'bench']));
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
        (SELECT count(*) FROM ((SELECT ${RESULT_COLUMNS} FROM bench_results WHERE side = 'product') EXCEPT (SELECT ${RESULT_COLUMNS} FROM bench_results WHERE side = 'baseline')) d)::int AS differing`);
    const check = diff[0] as { product: number; baseline: number; differing: number };
    const productMs = median(productTimes);
    const baselineMs = median(baselineTimes);
    log(`settlement: batch product ${fmtMs(productMs)}, baseline ${fmtMs(baselineMs)}`);

    await knex.raw(`INSERT INTO account_statement_settlement_config (id, batch_size, settlement_age_days) VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET batch_size = EXCLUDED.batch_size, settlement_age_days = EXCLUDED.settlement_age_days`, [sizes.settleBatch, AGE_DAYS]);
    const deps = { config: new KnexSettlementConfigRepository(knex), statements, clock: fixedClock(now), logger: memoryLogger('bench') };
    let runs = 0;
    let settledTotal = 0;
    const slowest = { ms: 0 };
    const backlog = await timed(async () => {
      for (;;) {
        const run = await timed(() => settleStatements(deps, { trigger: 'manual', userId: 'bench-backlog' }));
        runs += 1;
        slowest.ms = Math.max(slowest.ms, run.ms);
        settledTotal += run.value.settledCount;
        if (!run.value.moreRecordsAvailable && run.value.settledCount === run.value.totalPending) break;
        if (runs > eligible) throw new Error('settlement backlog did not drain');
      }
    });
    const remaining = (await knex.raw(`SELECT count(*)::int AS n FROM account_statements WHERE NOT is_settled AND date < ?::date AND ticket_count > 0`, [cutoff])).rows[0].n as number;
    log(`settlement: backlog ${fmtCount(settledTotal)} in ${runs} runs, ${fmtMs(backlog.ms)}`);

    const batchFigure = `settlement of a ${fmtCount(sizes.settleBatch)} batch (median of 3)`;
    return {
      rows: [
        timeRow(batchFigure, productMs, baselineMs, 3),
        {
          figure: `settlement backlog of ${fmtCount(eligible)} eligible statements cleared`,
          product: `${runs} runs, ${fmtMs(backlog.ms)} (${fmtRate(settledTotal / (backlog.ms / 1000), 'stmt')})`,
          baseline: '—',
          ratio: null,
          target: '—',
          met: null,
        },
      ],
      checks: [
        {
          name: `settlement batch: product rows = raw UPDATE rows`,
          ok: check.differing === 0 && check.product === check.baseline && check.product === Math.min(sizes.settleBatch, eligible) && settledByProduct === check.product,
          detail: `${fmtCount(check.product)} settled by the product, ${fmtCount(check.baseline)} by the raw UPDATE, ${check.differing} differing in paid, collected or remaining balance`,
        },
        {
          name: 'settlement backlog fully settled',
          ok: remaining === 0 && settledTotal === eligible,
          detail: `${fmtCount(settledTotal)} settled in ${runs} runs (batch ${fmtCount(sizes.settleBatch)}), ${remaining} left`,
        },
      ],
      notes: [
        `Settlement batch: the product is KnexStatementRepository.settleEligible (the statement settleStatements issues per run); the raw UPDATE computes the same sums and running balances without SKIP LOCKED or the hold-back of rows held by a concurrent run. ` +
          `Backlog: settleStatements (count, settle, carry-forward) run after run with batch size ${fmtCount(sizes.settleBatch)}; the slowest run took ${fmtMs(slowest.ms)}.`,
      ],
      causes: {
        [batchFigure]:
          'EXPLAIN ANALYZE of SETTLE_ELIGIBLE_SQL (packages/adapters-postgres/src/settlement/settle-eligible.sql.ts) at this size shows two full sequential scans of account_statements per batch: ' +
          'the `ready` CTE\'s NOT EXISTS (older unsettled statements with activity that are not in the batch) becomes a hash anti join built from every statement of the table, and the final ' +
          '`UPDATE account_statements s … FROM computed c WHERE s.id = c.id` hashes the whole table again instead of probing the primary key 2,000 times; account_movements is read whole too. ' +
          'The raw UPDATE reads only the batch, its movements by index and one opening balance per entity. Restricting `older` to the batch\'s entities (a LATERAL probe of the (dimension, entity_id, date) unique index per batch row) ' +
          'and joining the UPDATE on the batch ids would keep a batch\'s cost independent of the table size',
      },
    };
  } finally {
    await db.drop();
  }
}
