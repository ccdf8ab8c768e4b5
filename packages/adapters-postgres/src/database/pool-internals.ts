import type { Knex } from 'knex';

/** The parts of knex's client that are not in its typings: the pool's connections in use, and raw connections. */
interface KnexPoolInternals {
  pool?: { used: Array<{ resource: unknown }> };
  cancelQuery(connection: unknown): Promise<unknown>;
  acquireRawConnection(): Promise<unknown>;
  destroyRawConnection(connection: unknown): Promise<void>;
}

export const poolInternals = (knex: Knex): KnexPoolInternals => knex.client as KnexPoolInternals;

export function pooledConnectionsInUse(knex: Knex): unknown[] {
  return (poolInternals(knex).pool?.used ?? []).map((used) => used.resource);
}

/** `pg_cancel_backend` for each connection, from a connection of its own outside the pool. */
export async function cancelStatements(knex: Knex, connections: unknown[]): Promise<void> {
  const client = poolInternals(knex);
  await Promise.all(connections.map((connection) => client.cancelQuery(connection).catch(() => undefined)));
}
