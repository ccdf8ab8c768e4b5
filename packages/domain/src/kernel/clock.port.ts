/** Where a use case reads "now": the system clock in production, a fixed or moving one in tests and backfills. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant (a backfill run's `--now`, a test). */
export const fixedClock = (instant: Date): Clock => ({ now: () => new Date(instant.getTime()) });
