import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { HeldLock, JobLock } from '@banca/domain/ports';
import { advisoryLockKey, DEFAULT_LOCK_NAMESPACE } from './advisory-lock-key';

type PooledConnection = unknown;

/**
 * JobLock on PostgreSQL session advisory locks (docs/architecture.md, Running the jobs).
 *
 * `pg_try_advisory_lock` runs on a connection taken out of the knex pool and kept for the life of the
 * lock: an advisory lock belongs to its session, so the connection must neither serve other queries
 * (they would share the lock) nor go back to the pool while held. Release unlocks on that same
 * connection and returns it to the pool.
 *
 * The TTL is accepted for the port's sake but does not apply: the lock lives as long as its session.
 * When a holder crashes or its connection drops, PostgreSQL ends the session and frees the lock, so a
 * dead owner never blocks the job for long. Each held lock occupies one pooled connection; session
 * locks also need a direct connection or a session-mode pooler, not a transaction-mode PgBouncer.
 */
export class PgAdvisoryJobLock implements JobLock {
  constructor(
    private readonly knex: Knex,
    private readonly namespace = DEFAULT_LOCK_NAMESPACE,
  ) {}

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock TTL must be a positive integer of milliseconds, got ${ttlMs}`);
    const key = advisoryLockKey(name, this.namespace);
    const connection: PooledConnection = await this.knex.client.acquireConnection();
    let locked = false;
    try {
      locked = await this.ask(connection, 'SELECT pg_try_advisory_lock(?::bigint) AS ok', key);
    } finally {
      if (!locked) await this.knex.client.releaseConnection(connection);
    }
    if (!locked) return null;
    return this.held(name, key, connection);
  }

  private held(name: string, key: string, connection: PooledConnection): HeldLock {
    let released = false;
    return {
      name,
      token: randomUUID(),
      release: async () => {
        if (released) return false;
        released = true;
        try {
          return await this.ask(connection, 'SELECT pg_advisory_unlock(?::bigint) AS ok', key);
        } catch {
          // The session is gone, and PostgreSQL freed its locks with it: nothing of ours is held any more.
          return false;
        } finally {
          await this.knex.client.releaseConnection(connection);
        }
      },
    };
  }

  private async ask(connection: PooledConnection, sql: string, key: string): Promise<boolean> {
    const { rows } = (await this.knex.raw(sql, [key]).connection(connection)) as { rows: Array<{ ok: boolean }> };
    return rows[0]?.ok === true;
  }
}
