import type { Knex } from 'knex';
import type { ActivityLogRepository } from '@banca/domain/ports';

/**
 * Activity-log retention (docs/architecture.md, The banca rules): each call is one DELETE of at most `limit` rows, oldest first
 * through `activity_logs_created_at_idx`, so no statement holds its row locks for long and a cleanup
 * that stops half-way still leaves a contiguous history. Rows are addressed by their physical
 * location (ctid) from the index scan, so the delete needs no second lookup through the primary key.
 *
 * The rows a batch deletes stay in the index as dead entries until VACUUM, and a scan from the oldest
 * entry would step over all of them again in every batch. Batches go oldest first, so everything older
 * than the newest `created_at` a batch deleted is gone: the next batch for the same cutoff starts there
 * (inclusive, for ties). Logs are written with the time they happen, never backdated below a cutoff in
 * the past, so nothing is skipped; a new cutoff (the next cleanup run) scans from the start again.
 */
export class KnexActivityLogRepository implements ActivityLogRepository {
  private resume: { cutoffMs: number; from: Date } | null = null;

  constructor(private readonly knex: Knex) {}

  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`delete limit must be a positive integer, got ${limit}`);
    const from = this.resume?.cutoffMs === cutoff.getTime() ? this.resume.from : null;
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
    if (row?.newest) this.resume = { cutoffMs: cutoff.getTime(), from: new Date(row.newest) };
    return Number(row?.deleted ?? 0);
  }
}
