import type { Knex } from 'knex';
import type { ActivityLogRepository } from '@banca/domain';

/**
 * Activity-log retention (design §4): each call is one DELETE of at most `limit` rows, oldest first
 * through `activity_logs_created_at_idx`, so no statement holds its row locks for long and a cleanup
 * that stops half-way still leaves a contiguous history.
 */
export class KnexActivityLogRepository implements ActivityLogRepository {
  constructor(private readonly knex: Knex) {}

  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`delete limit must be a positive integer, got ${limit}`);
    const doomed = this.knex('activity_logs').select('id').where('created_at', '<', cutoff).orderBy('created_at').limit(limit);
    return deletedRows(await this.knex('activity_logs').whereIn('id', doomed).del());
  }
}

/** knex on pg answers a delete with its row count; knex-pglite with the driver's result object. */
function deletedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  const { rowCount, affectedRows } = result as { rowCount?: number | null; affectedRows?: number | null };
  return rowCount ?? affectedRows ?? 0;
}
