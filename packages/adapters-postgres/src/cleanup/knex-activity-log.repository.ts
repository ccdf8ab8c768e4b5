import type { Knex } from 'knex';
import type { ActivityLogRepository } from '@banca/domain';

/**
 * Activity-log retention (design §4): each call is one DELETE of at most `limit` rows, oldest first
 * through `activity_logs_created_at_idx`, so no statement holds its row locks for long and a cleanup
 * that stops half-way still leaves a contiguous history. Rows are addressed by their physical
 * location (ctid) from the index scan, so the delete needs no second lookup through the primary key.
 */
export class KnexActivityLogRepository implements ActivityLogRepository {
  constructor(private readonly knex: Knex) {}

  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`delete limit must be a positive integer, got ${limit}`);
    const result = await this.knex.raw(
      `DELETE FROM activity_logs
       WHERE ctid = ANY (ARRAY(SELECT ctid FROM activity_logs WHERE created_at < ? ORDER BY created_at LIMIT ?))`,
      [cutoff, limit],
    );
    return deletedRows(result);
  }
}

/** pg answers a raw DELETE with `rowCount`; PGlite with `affectedRows`. */
function deletedRows(result: unknown): number {
  const { rowCount, affectedRows } = result as { rowCount?: number | null; affectedRows?: number | null };
  return rowCount ?? affectedRows ?? 0;
}
