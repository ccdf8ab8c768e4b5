import type { Knex } from 'knex';
import { createMigratedPglite, type MigratedDatabase } from '../postgres.test-helpers';

/**
 * One migrated PGlite for the calling `describe` (starting one takes over a second), emptied of
 * `tables` each time the returned function is called, so each test still starts from empty tables.
 * Registers mocha hooks: call it directly inside a `describe`.
 */
export function useSharedPglite(tables: readonly string[]): () => Promise<Knex> {
  let db: MigratedDatabase | undefined;
  before(async () => {
    db = await createMigratedPglite();
  });
  after(async () => {
    await db?.close();
  });
  return async () => {
    if (!db) throw new Error('the shared PGlite exists only inside hooks and tests of its describe');
    await db.knex.raw(`TRUNCATE ${tables.join(', ')} CASCADE`);
    return db.knex;
  };
}
