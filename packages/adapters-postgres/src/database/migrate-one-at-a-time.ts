import type { Knex } from 'knex';
import { advisoryLockKey } from '../jobs/advisory-lock-key';
import { migrateToLatest } from '../migrations';
import { poolInternals } from './pool-internals';

/**
 * knex's migration lock does not cover creating its own tables, so instances starting together on a
 * fresh database fail. A session advisory lock, taken on a connection outside the pool (which may
 * hold a single connection), lets one instance migrate at a time; closing that connection frees it.
 */
export async function migrateOneAtATime(knex: Knex): Promise<string[]> {
  const client = poolInternals(knex);
  const connection = await client.acquireRawConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(?::bigint)', [advisoryLockKey('banca.migrations')]).connection(connection);
    return await migrateToLatest(knex);
  } finally {
    await client.destroyRawConnection(connection);
  }
}
