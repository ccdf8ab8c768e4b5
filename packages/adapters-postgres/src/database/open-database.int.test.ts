import { expect } from 'chai';
import { createTestSchema, dropTestSchema, type TestSchema } from '@banca/test-support';
import { openDatabase } from './open-database';

/**
 * Instances started at the same moment on a fresh database all migrate it at start-up: knex's own
 * migration lock does not cover creating its tables, so openDatabase's migrate serialises them.
 */
describe('openDatabase: many instances migrating a fresh PostgreSQL schema at once', function () {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await createTestSchema('open_many');
  });
  afterEach(() => dropTestSchema(schema));

  it('migrates once, every instance finding the migrations applied', async () => {
    const url = new URL(schema.connectionString);
    url.searchParams.set('options', `-c search_path=${schema.schema},public`);
    const databases = Array.from({ length: 6 }, () => openDatabase({ databaseUrl: url.toString(), dataDir: '', poolMax: 1 }));
    try {
      const results = await Promise.allSettled(databases.map((database) => database.migrate()));
      expect(results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).to.deep.equal([]);
      const applied = results.map((result) => (result.status === 'fulfilled' ? result.value : []));
      const migrating = applied.filter((names) => names.length > 0);
      expect(migrating, 'one instance applies the migrations, the others find them applied').to.have.length(1);
      const names = (await databases[0]!.knex('knex_migrations').select('name')).map((row: { name: string }) => row.name);
      expect(names).to.deep.equal(migrating[0]);
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });
});
