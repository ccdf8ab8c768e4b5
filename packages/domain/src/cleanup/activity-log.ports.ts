/** One call's work: how many rows went, and whether any older than the cutoff can be left. */
export interface ActivityLogBatch {
  deleted: number;
  /** Nothing older than the cutoff is left: the cleanup stops asking. */
  done: boolean;
}

/** The activity log, trimmed in bounded batches so no single statement holds locks for long. */
export interface ActivityLogRepository {
  /**
   * Deletes at most `limit` rows with created_at strictly before `cutoff` (oldest first is not
   * required) in one bounded step, and says whether it is done. A batch may delete fewer rows than the
   * limit, even none, and not be done (it went through a part of the store with few old rows); calls for
   * the same cutoff go on where the previous one stopped.
   */
  deleteOlderThan(cutoff: Date, limit: number): Promise<ActivityLogBatch>;
}
