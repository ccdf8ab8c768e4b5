import { expect } from 'chai';
import { memoryLogger } from '@banca/domain';
import { loadConfig } from '../../config/env.config';
import { createInfrastructure, type Infrastructure } from '../../composition/infrastructure';
import { createTestDatabase, type TestDatabase } from './banca-process.test-helpers';

/**
 * Instances started at the same moment on a fresh database all migrate it at start-up: knex's own
 * migration lock does not cover creating its tables, so the composition root serialises them.
 */
describe('the infrastructure of many instances starting at once on a fresh PostgreSQL database', function () {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await db.drop();
  });

  it('migrates once and builds every instance', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, DB_POOL_MAX: '1' });
    const logger = memoryLogger();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => createInfrastructure(config, logger)));
    const built = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    await Promise.all(built.map((infrastructure: Infrastructure) => infrastructure.close()));

    expect(results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).to.deep.equal([]);
    const migrated = logger.entries.filter((entry) => entry.action === 'DATABASE_MIGRATED');
    expect(migrated, 'one instance applies the migrations, the others find them applied').to.have.length(1);
    const names = (await db.knex('knex_migrations').select('name')).map((row: { name: string }) => row.name);
    expect(names).to.deep.equal((migrated[0]!.payload as { applied: string[] }).applied);
  });
});
