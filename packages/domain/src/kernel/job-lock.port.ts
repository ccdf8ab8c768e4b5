/**
 * One run of a job at a time across all instances (docs/architecture.md, Running the jobs). A lock is owned through a random
 * token, expires after its TTL, and only its owner releases it. Correctness never rests on the
 * lock alone: every write behind it is idempotent or guarded in the database.
 */
export interface JobLock {
  /** Takes the lock, or returns null at once when another owner holds it. */
  tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null>;
}

export interface HeldLock {
  readonly name: string;
  readonly token: string;
  /** Releases the lock if this owner still holds it; true when it did. */
  release(): Promise<boolean>;
}
