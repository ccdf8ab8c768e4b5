import type { Knex } from 'knex';
import { KnexActivityLogRepository, seedActivityLogs } from '@banca/adapters-postgres';
import { activityLogCutoff, DEFAULT_ACTIVITY_LOG_RETENTION_DAYS } from '@banca/domain';
import { cleanupActivityLogs, DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE, fixedClock, type ActivityLogBatch, type ActivityLogRepository } from '@banca/domain/ports';
import { freshDatabase, settle } from './bench-db';
import { growthRow } from './closing.bench';
import { fmtCount, fmtMs, log, median, rateRow, timed, type FigureResult, type FigureRow, type GrowthPoint } from './measure';
import type { BenchSizes } from './sizes';

const MAX_STATEMENT_MS = 200;
const MIN_THROUGHPUT_RATIO = 0.7;

/** The product's repository, with each call (one DELETE statement) timed. */
class TimedActivityLogs implements ActivityLogRepository {
  readonly statementMs: number[] = [];
  constructor(private readonly inner: ActivityLogRepository) {}

  async deleteOlderThan(cutoff: Date, limit: number): Promise<ActivityLogBatch> {
    const { ms, value } = await timed(() => this.inner.deleteOlderThan(cutoff, limit));
    this.statementMs.push(ms);
    return value;
  }
}

/** Median of the `index`-th tenth (0..9) of the statement times, in order of execution. */
function tenth(times: readonly number[], index: number): number {
  const size = Math.max(1, Math.floor(times.length / 10));
  const part = times.slice(index * size, index === 9 ? times.length : (index + 1) * size);
  return median(part.length > 0 ? part : times);
}

async function seed(knex: Knex, expired: number, cutoff: Date, now: Date): Promise<number> {
  await knex.raw('TRUNCATE activity_logs');
  let last = 0;
  await seedActivityLogs(knex, {
    count: expired,
    before: cutoff,
    spreadDays: 30,
    chunkSize: 250_000,
    onProgress: ({ done, total }) => {
      if (done - last >= 1_000_000 || done === total) log(`cleanup: activity logs ${fmtCount(done)}/${fmtCount(total)}`);
      last = done;
    },
  });
  const recent = Math.max(1, Math.round(expired / 100));
  await knex.raw(
    `INSERT INTO activity_logs (created_at, actor_id, action, target_type, target_id, details)
     SELECT ?::timestamptz + (i % 86400) * interval '1 second', 'bench', 'TICKET_CREATED', 'ticket', i::text, '{}'::jsonb FROM generate_series(1, ?) AS i`,
    [new Date(Math.min(cutoff.getTime() + 1000, now.getTime())), recent],
  );
  await settle(knex, ['activity_logs']);
  return recent;
}

export async function cleanupBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('cleanup');
  const { knex } = db;
  const now = new Date();
  const retentionDays = DEFAULT_ACTIVITY_LOG_RETENTION_DAYS;
  const cutoff = activityLogCutoff(now, retentionDays);
  const rows: FigureRow[] = [];
  const points: GrowthPoint[] = [];
  const causes: Record<string, string> = {};
  const checks: FigureResult['checks'] = [];
  const notes: string[] = [];
  try {
    for (const size of [Math.round(sizes.logs / 2), sizes.logs]) {
      log(`cleanup: seeding ${fmtCount(size)} expired activity logs`);
      const recent = await seed(knex, size, cutoff, now);

      // The raw DELETE runs in a transaction that is rolled back, so the product then deletes the same rows of the same table.
      let baselineMs = 0;
      let baselineDeleted = 0;
      await knex.transaction(async (trx) => {
        const { ms, value } = await timed(() => trx.raw('DELETE FROM activity_logs WHERE created_at < ?', [cutoff]));
        baselineMs = ms;
        baselineDeleted = value.rowCount as number;
        await trx.rollback();
      }).catch((error: unknown) => {
        if (error !== undefined) throw error;
      });
      await settle(knex, ['activity_logs']);
      log(`cleanup: raw DELETE ${fmtCount(baselineDeleted)} in ${fmtMs(baselineMs)}`);

      const repository = new TimedActivityLogs(new KnexActivityLogRepository(knex));
      const product = await timed(() => cleanupActivityLogs({ activityLogs: repository, clock: fixedClock(now) }, { retentionDays }));
      const longest = Math.max(...repository.statementMs);
      log(`cleanup: product ${fmtCount(product.value.deletedCount)} in ${fmtMs(product.ms)}, ${repository.statementMs.length} statements, longest ${fmtMs(longest)}`);

      const left = (await knex.raw('SELECT count(*) FILTER (WHERE created_at < ?)::int AS expired, count(*)::int AS total FROM activity_logs', [cutoff])).rows[0] as { expired: number; total: number };
      checks.push({
        name: `cleanup ${fmtCount(size)}: the product deleted every expired row and nothing else, as the raw DELETE did`,
        ok: product.value.deletedCount === size && baselineDeleted === size && left.expired === 0 && left.total === recent,
        detail: `product ${fmtCount(product.value.deletedCount)}, raw DELETE ${fmtCount(baselineDeleted)}, ${left.expired} expired and ${fmtCount(left.total)} recent left (${fmtCount(recent)} seeded)`,
      });

      const figure = `cleanup throughput, ${fmtCount(size)} expired rows`;
      rows.push(rateRow(figure, size / (product.ms / 1000), size / (baselineMs / 1000), 'rows', MIN_THROUGHPUT_RATIO));
      if (baselineMs / product.ms < MIN_THROUGHPUT_RATIO) {
        causes[figure] =
          'KnexActivityLogRepository.deleteOlderThan (packages/adapters-postgres/src/cleanup/knex-activity-log.repository.ts) walks the mostly-expired table in physical order, one slice of heap blocks per statement (a TID range scan, at most the batch limit by ctid), as the raw DELETE reads it once; ' +
          `each of the ${fmtCount(repository.statementMs.length)} statements still pays its own round trip, WAL flush and ctid array (first tenth ${fmtMs(tenth(repository.statementMs, 0))}, last tenth ${fmtMs(tenth(repository.statementMs, 9))}), which the one raw statement pays once`;
      }
      const statementFigure = `cleanup, longest single DELETE statement at ${fmtCount(size)} rows`;
      rows.push({
        figure: statementFigure,
        product: `${fmtMs(longest)} (${fmtCount(repository.statementMs.length)} statements)`,
        baseline: `${fmtMs(baselineMs)} (1 statement)`,
        ratio: null,
        target: `≤ ${MAX_STATEMENT_MS} ms`,
        met: longest <= MAX_STATEMENT_MS,
      });
      causes[statementFigure] =
        `batches of ${fmtCount(DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE)} (DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE, packages/domain/src/cleanup/cleanup-activity-logs.use-case.ts) are the unit of lock time; ` +
        'one batch slows with the load of the machine; ' +
        `first tenth of the statements median ${fmtMs(tenth(repository.statementMs, 0))}, last tenth ${fmtMs(tenth(repository.statementMs, 9))}`;
      points.push({ size, productSeconds: product.ms / 1000, baselineSeconds: baselineMs / 1000 });
      notes.push(
        `Cleanup at ${fmtCount(size)}: ${repository.statementMs.length} DELETE statements of at most ${fmtCount(DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE)} rows, median ${fmtMs(median(repository.statementMs))} (first tenth ${fmtMs(tenth(repository.statementMs, 0))}, last tenth ${fmtMs(tenth(repository.statementMs, 9))}), longest ${fmtMs(longest)}; the raw DELETE of the same rows held its locks for ${fmtMs(baselineMs)} in one statement.`,
      );
    }
    notes.push('Cleanup baseline: the raw DELETE runs in a transaction that is then rolled back (and the table vacuumed), so the product deletes the very same rows of the same table afterwards; the timing covers the DELETE statement, not the rollback.');
    rows.push(growthRow('cleanup', points[0]!, points[1]!));
    return { rows, checks, notes, causes, growth: [{ figure: 'activity-log cleanup', unit: 'expired rows', points }] };
  } finally {
    await db.drop();
  }
}
