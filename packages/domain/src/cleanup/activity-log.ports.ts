/** The activity log, trimmed in bounded batches so no single statement holds locks for long. */
export interface ActivityLogRepository {
  /**
   * Deletes at most `limit` rows with created_at strictly before `cutoff` (oldest first is not
   * required) and returns how many it deleted.
   */
  deleteOlderThan(cutoff: Date, limit: number): Promise<number>;
}
