import type { Knex } from 'knex';
import type { DatabaseWarmup } from '@banca/domain/ports';

export interface PostgresWarmupOptions {
  /** How many times `SELECT 1` is tried before giving up (at least 1). */
  attempts?: number;
  /** The wait after the first failure; it doubles after each further failure, up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told of every failed attempt, e.g. to log it; `nextDelayMs` is null after the last one. */
  onAttemptFailed?: (failure: { attempt: number; error: unknown; nextDelayMs: number | null }) => void;
}

/**
 * The warm-up before a job run (docs/architecture.md, Running the jobs): `SELECT 1` with bounded retries and exponential back-off,
 * so a database that is restarting or a pool whose connections went stale gets a few seconds to
 * recover before the run is skipped. Each attempt is itself bounded by the pool's acquire timeout.
 * After the last attempt the last error is thrown unchanged, so its class can be told.
 */
export function createPostgresWarmup(knex: Knex, options: PostgresWarmupOptions = {}): DatabaseWarmup {
  const attempts = options.attempts ?? 5;
  const initialDelayMs = options.initialDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`warm-up attempts must be a positive integer, got ${attempts}`);
  if (initialDelayMs < 0 || maxDelayMs < initialDelayMs) {
    throw new RangeError(`warm-up delays must satisfy 0 <= initialDelayMs <= maxDelayMs, got ${initialDelayMs} and ${maxDelayMs}`);
  }

  return {
    async warmUp(): Promise<void> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await knex.raw('SELECT 1');
          return;
        } catch (error) {
          const nextDelayMs = attempt < attempts ? Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1)) : null;
          options.onAttemptFailed?.({ attempt, error, nextDelayMs });
          if (nextDelayMs === null) throw error;
          await new Promise((resolve) => setTimeout(resolve, nextDelayMs));
        }
      }
    },
  };
}
