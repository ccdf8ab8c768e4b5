import { KnexLoteriaRepository, KnexSorteoRepository } from '@banca/adapters-postgres';
import { addCRDays, autoCreateWindow, expandDrawSchedule, toCRDateString, type DrawOccurrence } from '@banca/domain';
import { autoCreateSorteos, fixedClock } from '@banca/domain/ports';
import { freshDatabase, settle } from './bench-db';
import { fmtCount, fmtMs, log, median, timed, timeRow, type FigureResult } from './measure';
import type { BenchSizes } from './sizes';

/**
 * The baseline: one INSERT … SELECT that expands every lottery's daily draw times in SQL (CR local
 * date + time, at the Costa Rica zone) over the same window and inserts the same sorteos.
 */
const RAW_INSERT_SQL = `
INSERT INTO sorteos (loteria_id, name, scheduled_at, status, is_active)
SELECT l.id, l.name || ' ' || t.hhmm, x.scheduled_at, 'SCHEDULED', true
FROM loterias l
CROSS JOIN LATERAL jsonb_array_elements_text(l.rules_json -> 'drawSchedule' -> 'times') AS t(hhmm)
CROSS JOIN generate_series(0, ?::int) AS d(i)
CROSS JOIN LATERAL (SELECT ((?::date + d.i) + t.hhmm::time) AT TIME ZONE 'America/Costa_Rica' AS scheduled_at) x
WHERE l.is_active AND l.auto_create_enabled AND x.scheduled_at >= ?::timestamptz AND x.scheduled_at < ?::timestamptz
ON CONFLICT (loteria_id, scheduled_at) DO NOTHING`;

export async function autoCreateBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('auto_create');
  const { knex } = db;
  const now = new Date();
  const window = autoCreateWindow(now, sizes.autoCreateDays);
  const today = toCRDateString(now);
  try {
    await knex.raw(
      `INSERT INTO loterias (name, rules_json)
       SELECT 'Loteria ' || lpad(i::text, 5, '0'),
              jsonb_build_object('drawSchedule', jsonb_build_object('frequency', 'diario', 'times',
                jsonb_build_array(lpad((8 + i % 14)::text, 2, '0') || ':' || lpad((5 * (i % 12))::text, 2, '0'))))
       FROM generate_series(1, ?) AS i`,
      [sizes.lotteries],
    );
    await settle(knex, ['loterias']);
    const deps = { loterias: new KnexLoteriaRepository(knex), sorteos: new KnexSorteoRepository(knex), clock: fixedClock(now) };
    const rawArgs = [sizes.autoCreateDays, today, window.from.toISOString(), window.to.toISOString()];
    const clear = () => knex.raw('TRUNCATE sorteos CASCADE');
    await knex.raw('CREATE TABLE bench_product_sorteos (loteria_id uuid, name text, scheduled_at timestamptz)');

    const productTimes: number[] = [];
    const baselineTimes: number[] = [];
    let created = 0;
    let rawCreated = 0;
    // Round -1 warms both paths up (JIT, plan cache, catalog) and is not counted.
    for (let round = -1; round < sizes.autoCreateRepeats; round += 1) {
      await clear();
      const product = await timed(() => autoCreateSorteos(deps, { daysAhead: sizes.autoCreateDays }));
      if (round >= 0) productTimes.push(product.ms);
      created = product.value.createdCount;
      if (round === 0) await knex.raw('INSERT INTO bench_product_sorteos SELECT loteria_id, name, scheduled_at FROM sorteos');
      await clear();
      const baseline = await timed(() => knex.raw(RAW_INSERT_SQL, rawArgs));
      if (round >= 0) baselineTimes.push(baseline.ms);
      rawCreated = baseline.value.rowCount as number;
    }
    const { rows } = await knex.raw(`
      SELECT (SELECT count(*) FROM bench_product_sorteos)::int AS product, (SELECT count(*) FROM sorteos)::int AS baseline,
        (SELECT count(*) FROM ((SELECT loteria_id, name, scheduled_at FROM bench_product_sorteos) EXCEPT (SELECT loteria_id, name, scheduled_at FROM sorteos WHERE status = 'SCHEDULED')) d)::int
        + (SELECT count(*) FROM ((SELECT loteria_id, name, scheduled_at FROM sorteos) EXCEPT (SELECT loteria_id, name, scheduled_at FROM bench_product_sorteos)) d)::int AS differing`);
    const diff = rows[0] as { product: number; baseline: number; differing: number };
    // Where the product's time goes: the same three steps autoCreateSorteos takes, timed one by one.
    const steps = { list: [] as number[], expand: [] as number[], insert: [] as number[] };
    for (let round = 0; round < sizes.autoCreateRepeats; round += 1) {
      await clear();
      const listed = await timed(() => deps.loterias.listForAutoCreate());
      const expanded = await timed(async () => listed.value.flatMap((loteria): DrawOccurrence[] => expandDrawSchedule(loteria, window)));
      const inserted = await timed(() => deps.sorteos.createMany(expanded.value));
      steps.list.push(listed.ms);
      steps.expand.push(expanded.ms);
      steps.insert.push(inserted.ms);
    }
    const productMs = median(productTimes);
    const baselineMs = median(baselineTimes);
    log(`auto-create: product ${fmtMs(productMs)}, baseline ${fmtMs(baselineMs)}, ${fmtCount(created)} sorteos`);
    const figure = `auto-create, ${fmtCount(sizes.lotteries)} lotteries × ${sizes.autoCreateDays} days = ${fmtCount(created)} sorteos (median of ${sizes.autoCreateRepeats})`;
    return {
      rows: [timeRow(figure, productMs, baselineMs, 2)],
      checks: [
        {
          name: 'auto-create: product sorteos = raw INSERT sorteos',
          ok: diff.differing === 0 && diff.product === diff.baseline && diff.product === created && rawCreated === created && created >= sizes.lotteries * (sizes.autoCreateDays - 1),
          detail: `${fmtCount(diff.product)} created by the product, ${fmtCount(diff.baseline)} by the raw INSERT, ${diff.differing} differing`,
        },
      ],
      notes: [
        `Auto-create: the product is autoCreateSorteos (list the lotteries, expand each draw schedule in @banca/domain, KnexSorteoRepository.createMany in chunks of 5,000 through unnest arrays) with the clock at ${now.toISOString()}, window up to ${addCRDays(today, sizes.autoCreateDays)} CR; the baseline expands the same daily times in SQL in one INSERT … SELECT. ` +
          `Product steps (median): listing the lotteries ${fmtMs(median(steps.list))}, expanding the schedules in Node ${fmtMs(median(steps.expand))}, createMany ${fmtMs(median(steps.insert))}.`,
      ],
      causes: {
        [figure]:
          'autoCreateSorteos expands every occurrence through js-joda in Node (packages/domain/src/sorteos/draw-schedule.ts, expandDrawSchedule) and ships them as three arrays in KnexSorteoRepository.createMany; the raw INSERT computes the same rows inside PostgreSQL with no round trip' +
          ` (medians here: listing ${fmtMs(median(steps.list))}, expanding ${fmtMs(median(steps.expand))}, createMany ${fmtMs(median(steps.insert))})`,
      },
    };
  } finally {
    await db.drop();
  }
}
