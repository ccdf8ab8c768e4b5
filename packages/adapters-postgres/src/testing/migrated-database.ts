import type { Knex } from 'knex';
import { createTestSchema, dropTestSchema, type TestSchema } from '@banca/test-support';
import { createPostgresKnex } from '../knex-connection';
import { createPgliteKnex } from '../pglite-connection';
import { migrateToLatest } from '../migrations';

/** A migrated database of one's own for a test: a fresh schema on real PostgreSQL. */
export interface MigratedDatabase {
  knex: Knex;
  /** A DATABASE_URL for it: libpq `options` put its schema first on the search_path (null on PGlite). */
  url: string | null;
  /** Opens another pool on the same database (a second process, in effect). */
  connectAgain(): Knex;
  close(): Promise<void>;
}

export async function createMigratedSchema(label: string): Promise<MigratedDatabase> {
  const schema: TestSchema = await createTestSchema(label);
  const knex = createPostgresKnex(schema.connection);
  const others: Knex[] = [];
  await migrateToLatest(knex);
  const url = new URL(schema.connectionString);
  url.searchParams.set('options', `-c search_path=${schema.schema},public`);
  return {
    knex,
    url: url.toString(),
    connectAgain() {
      const other = createPostgresKnex(schema.connection);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all([knex, ...others].map((db) => db.destroy()));
      await dropTestSchema(schema);
    },
  };
}

/** The same on the embedded default: an in-memory PGlite, migrated. It has one connection only. */
export async function createMigratedPglite(): Promise<MigratedDatabase> {
  const knex = createPgliteKnex();
  await migrateToLatest(knex);
  return {
    knex,
    url: null,
    connectAgain: () => knex,
    close: () => knex.destroy(),
  };
}

/**
 * One migrated in-memory PGlite for every test of the calling `describe`, emptied before each use:
 * starting PGlite and migrating take about two seconds, emptying its tables a few milliseconds.
 * `close()` of a handed-out database only ends that test's use.
 */
export function useReusedPglite(): { fresh(): Promise<MigratedDatabase> } {
  let shared: MigratedDatabase | undefined;
  // Mocha's global hook: this helper is for test files, and the package builds without mocha's types.
  const after = (globalThis as { after?: (hook: () => Promise<void>) => void }).after;
  if (after === undefined) throw new Error('useReusedPglite() is called inside a mocha describe');
  after(async () => {
    await shared?.close();
    shared = undefined;
  });
  return {
    async fresh() {
      if (shared) await emptyTables(shared.knex);
      else shared = await createMigratedPglite();
      const { knex } = shared;
      return { knex, url: null, connectAgain: () => knex, close: async () => undefined };
    },
  };
}

async function emptyTables(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex_migrations%'`,
  );
  const names = (rows as Array<{ name: string }>).map((row) => row.name);
  if (names.length > 0) await knex.raw(`TRUNCATE TABLE ${names.join(', ')} RESTART IDENTITY CASCADE`);
}

/**
 * The messages of failed statements, outside and inside a transaction: each must be the database's
 * own, without the statement or its values.
 */
export async function failedStatementMessages(knex: Knex): Promise<string[]> {
  const messageOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  return [
    await messageOf(knex('no_such_table').where({ owner: 'secret-value' }).select('id')),
    await messageOf(knex.raw('SELECT ?::date AS day', ['0000-01-01'])),
    await messageOf(knex.transaction((trx) => trx.raw('SELECT 1 / (? - 5) AS boom', [5]))),
  ];
}
