import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createPostgresKnex } from '../knex-connection';
import { migrateToLatest } from '../migrations';
import { createPgliteKnex } from '../pglite-connection';
import { holdDataFolder } from './data-folder-lock';
import { migrateOneAtATime } from './migrate-one-at-a-time';
import { cancelStatements, pooledConnectionsInUse } from './pool-internals';

/** An open database of the service: real PostgreSQL, or the embedded PGlite of one process. */
export interface BancaDatabase {
  readonly kind: 'postgresql' | 'pglite';
  readonly knex: Knex;
  /** Applies the pending migrations, one instance at a time; returns the names applied. */
  migrate(): Promise<string[]>;
  /**
   * Cancels every statement still running: the runs they belong to fail at once and PostgreSQL
   * rolls the statements back (a shutdown whose timeout passed). PGlite's end with the process.
   */
  cancelRunning(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…`; the embedded PGlite in `dataDir` when null. */
  databaseUrl: string | null;
  dataDir: string;
  poolMax?: number;
  statementTimeoutMs?: number | null;
  applicationName?: string;
}

export function openDatabase(options: OpenDatabaseOptions): BancaDatabase {
  return options.databaseUrl === null ? openEmbedded(options.dataDir) : openPostgres({ ...options, databaseUrl: options.databaseUrl });
}

function openPostgres(options: OpenDatabaseOptions & { databaseUrl: string }): BancaDatabase {
  const knex = createPostgresKnex({
    connectionString: options.databaseUrl,
    ...(options.poolMax === undefined ? {} : { pool: { max: options.poolMax } }),
    ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
  });
  return {
    kind: 'postgresql',
    knex,
    migrate: () => migrateOneAtATime(knex),
    cancelRunning: () => cancelStatements(knex, pooledConnectionsInUse(knex)),
    // The pool waits for every connection in use before it closes: whatever still runs is cancelled.
    close: async () => {
      const inUse = pooledConnectionsInUse(knex);
      const destroyed = knex.destroy();
      await cancelStatements(knex, inUse);
      await destroyed;
    },
  };
}

function openEmbedded(dataDir: string): BancaDatabase {
  mkdirSync(dataDir, { recursive: true });
  const release = holdDataFolder(dataDir);
  try {
    const knex = createPgliteKnex(join(dataDir, 'pglite'));
    return {
      kind: 'pglite',
      knex,
      migrate: () => migrateToLatest(knex),
      cancelRunning: async () => undefined,
      close: async () => {
        try {
          await knex.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
