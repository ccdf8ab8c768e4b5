import type { Knex } from 'knex';
import type { ActivityLogBatch, ActivityLogRepository } from '@banca/domain/ports';

/** How the rows older than one cutoff are being deleted, and how far it has got. */
type Scan =
  | {
      kind: 'slices';
      cutoffMs: number;
      /** The first heap block not yet cleared of rows older than the cutoff. */
      block: number;
      /** The table's size when the walk began: later rows are new logs, never older than a cutoff in the past. */
      end: number;
      /** Blocks per statement: somewhat fewer rows than `limit`, from the table's statistics. */
      step: number;
    }
  | {
      kind: 'index';
      cutoffMs: number;
      /** Everything older than this was deleted by an earlier batch (null: start from the oldest). */
      from: Date | null;
    };

/** Walk the whole table when the planner expects at least this share of it to be older than the cutoff. */
const WALK_SHARE = 0.5;
/** A slice is sized for this share of the limit, so that it is usually cleared by one statement. */
const SLICE_FILL = 0.9;

/**
 * Activity-log retention (docs/architecture.md, The banca rules): each call is one DELETE of at most
 * `limit` rows older than the cutoff, so no statement holds its row locks for long, and says when
 * nothing older is left. The way is chosen once per cutoff from the planner's estimate of the share of
 * the table that is older:
 *
 * - Most of the table (a first cleanup, a long pause): walk it in physical order a slice of heap blocks
 *   at a time (a TID range scan), so it is read once, as a single DELETE would read it. A slice holds
 *   somewhat fewer than `limit` rows by the table's statistics; its old rows go by ctid, at most
 *   `limit` (a denser slice than expected is taken again by the next call), and the walk is done at
 *   the block the table ended at when it began.
 * - A small share (the nightly run, a day out of the retention): read the old rows through
 *   `activity_logs_created_at_idx`, oldest first, and delete them by ctid. The rows a batch deletes
 *   stay in the index as dead entries until VACUUM, so the next batch for the same cutoff starts at the
 *   newest `created_at` the previous one deleted (inclusive, for ties) instead of stepping over them.
 *
 * Logs are written with the time they happen, never backdated below a cutoff in the past, so neither
 * way skips a row. The same or a new cutoff asked after a cleanup is done starts afresh.
 */
export class KnexActivityLogRepository implements ActivityLogRepository {
  private scan: Scan | null = null;

  constructor(private readonly knex: Knex) {}

  async deleteOlderThan(cutoff: Date, limit: number): Promise<ActivityLogBatch> {
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`delete limit must be a positive integer, got ${limit}`);
    const scan = this.scan?.cutoffMs === cutoff.getTime() ? this.scan : await this.startScan(cutoff, limit);
    this.scan = scan;
    const batch = scan.kind === 'slices' ? await this.deleteSlice(scan, cutoff, limit) : await this.deleteThroughIndex(scan, cutoff, limit);
    if (batch.done) this.scan = null;
    return batch;
  }

  private async deleteSlice(scan: Extract<Scan, { kind: 'slices' }>, cutoff: Date, limit: number): Promise<ActivityLogBatch> {
    if (scan.block >= scan.end) return { deleted: 0, done: true };
    const upper = scan.block + scan.step;
    const result = (await this.knex.raw(
      `DELETE FROM activity_logs
       WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM activity_logs
         WHERE ctid >= ?::tid AND ctid < ?::tid AND created_at < ?
         LIMIT ?
       ))`,
      [`(${scan.block},0)`, `(${upper},0)`, cutoff, limit],
    )) as { rowCount: number | null };
    const deleted = result.rowCount ?? 0;
    // A slice that filled the limit may hold more: the next call takes it again.
    if (deleted < limit) scan.block = upper;
    return { deleted, done: scan.block >= scan.end };
  }

  private async deleteThroughIndex(scan: Extract<Scan, { kind: 'index' }>, cutoff: Date, limit: number): Promise<ActivityLogBatch> {
    const { from } = scan;
    const result = await this.knex.raw(
      `WITH doomed AS (
         DELETE FROM activity_logs
         WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM activity_logs
           WHERE created_at < ?${from ? ' AND created_at >= ?' : ''}
           ORDER BY created_at
           LIMIT ?
         ))
         RETURNING created_at
       )
       SELECT count(*)::int AS deleted, max(created_at) AS newest FROM doomed`,
      from ? [cutoff, from, limit] : [cutoff, limit],
    );
    const [row] = (result as { rows: Array<{ deleted: number | string; newest: Date | string | null }> }).rows;
    if (row?.newest) scan.from = new Date(row.newest);
    const deleted = Number(row?.deleted ?? 0);
    return { deleted, done: deleted < limit };
  }

  private async startScan(cutoff: Date, limit: number): Promise<Scan> {
    const { rows } = (await this.knex.raw(
      `SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint AS blocks, c.reltuples, c.relpages
       FROM pg_class c WHERE c.oid = 'activity_logs'::regclass`,
    )) as { rows: Array<{ blocks: string | number; reltuples: number; relpages: number }> };
    const [table] = rows;
    // Without statistics (reltuples -1, relpages 0) the index is the way that never reads too much.
    if (!table || table.reltuples <= 0 || table.relpages <= 0) return { kind: 'index', cutoffMs: cutoff.getTime(), from: null };
    const older = await this.estimatedRowsOlderThan(cutoff);
    if (older < WALK_SHARE * table.reltuples) return { kind: 'index', cutoffMs: cutoff.getTime(), from: null };
    const density = table.reltuples / table.relpages;
    return { kind: 'slices', cutoffMs: cutoff.getTime(), block: 0, end: Number(table.blocks), step: Math.max(1, Math.floor((SLICE_FILL * limit) / density)) };
  }

  /** The planner's estimate, from the created_at histogram: nothing is read. */
  private async estimatedRowsOlderThan(cutoff: Date): Promise<number> {
    const { rows } = (await this.knex.raw('EXPLAIN (FORMAT JSON) SELECT 1 FROM activity_logs WHERE created_at < ?', [cutoff])) as {
      rows: Array<{ 'QUERY PLAN': unknown }>;
    };
    const raw = rows[0]?.['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan?: { 'Plan Rows'?: number } }>;
    return Number(plan[0]?.Plan?.['Plan Rows'] ?? 0);
  }
}
