import type { Knex } from 'knex';
import { createTestSchema, dropTestSchema, type TestSchema } from '@banca/test-support';
import { createPostgresKnex } from './knex-connection';
import { createPgliteKnex } from './pglite-connection';
import { migrateToLatest } from './migrations';

/** A migrated database of one's own for a test: a fresh schema on real PostgreSQL. */
export interface MigratedDatabase {
  knex: Knex;
  /** Opens another pool on the same database (a second process, in effect). */
  connectAgain(): Knex;
  close(): Promise<void>;
}

export async function createMigratedSchema(label: string): Promise<MigratedDatabase> {
  const schema: TestSchema = await createTestSchema(label);
  const knex = createPostgresKnex(schema.connection);
  const others: Knex[] = [];
  await migrateToLatest(knex);
  return {
    knex,
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
    connectAgain: () => knex,
    close: () => knex.destroy(),
  };
}
