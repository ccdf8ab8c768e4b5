import knex, { type Knex } from 'knex';
import { installPgTypeParsers } from './pg-types';
import { keepQueryTextOutOfErrors } from './query-text-free-errors';

export interface PostgresConnectionOptions {
  /** `postgres://user@host:port/db` */
  connectionString: string;
  /** Extra libpq options, e.g. `-c search_path=...` (tests use a schema of their own). */
  options?: string;
  pool?: { min?: number; max?: number };
  /** Milliseconds to wait for a pooled connection before failing (knex's acquire timeout). */
  acquireTimeoutMs?: number;
  /** Server-side statement timeout in milliseconds; none when unset. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

/**
 * A knex instance on real PostgreSQL, with the exact date and money parsers installed; its errors
 * carry PostgreSQL's message without the statement.
 */
export function createPostgresKnex(options: PostgresConnectionOptions): Knex {
  installPgTypeParsers();
  const connection: Record<string, unknown> = {
    connectionString: options.connectionString,
    application_name: options.applicationName ?? 'banca-jobs',
  };
  if (options.options) connection['options'] = options.options;
  if (options.statementTimeoutMs) connection['statement_timeout'] = options.statementTimeoutMs;
  return keepQueryTextOutOfErrors(
    knex({
      client: 'pg',
      connection,
      pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10 },
      acquireConnectionTimeout: options.acquireTimeoutMs ?? 10_000,
      compileSqlOnError: false,
    }),
  );
}
