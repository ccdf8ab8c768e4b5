import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestSchema, dropTestSchema, usePostgresSchema, type TestSchema } from '@banca/test-support';
import { createPostgresKnex } from './knex-connection';
import { failedStatementMessages } from './testing/migrated-database';

describe('createPostgresKnex on real PostgreSQL', () => {
  const schema = usePostgresSchema('pg_smoke');
  let db: Knex;

  before(() => {
    db = createPostgresKnex(schema.current.connection);
  });
  after(() => db.destroy());

  it('reads a date column as its calendar date string, whatever the process TZ', async () => {
    await db.schema.createTable('days', (t) => t.date('day').notNullable());
    await db('days').insert({ day: '2025-01-31' });
    const [row] = await db('days').select('day');
    expect(row.day).to.equal('2025-01-31');
  });

  it('reads numeric money and bigint counts as exact strings', async () => {
    const { rows } = await db.raw(`select 99999999.99::numeric(14,2) as amount, 0.10::numeric(14,2) * 3 as sum, 9007199254740993::bigint as big`);
    expect(rows[0]).to.deep.equal({ amount: '99999999.99', sum: '0.30', big: '9007199254740993' });
  });

  it('fails a statement with PostgreSQL\'s message alone, never the statement or its values', async () => {
    expect(await failedStatementMessages(db)).to.deep.equal([
      'relation "no_such_table" does not exist',
      'date/time field value out of range: "0000-01-01"',
      'division by zero',
    ]);
  });

  it('keeps each test schema apart', async () => {
    let other: TestSchema | undefined;
    let otherDb: Knex | undefined;
    try {
      other = await createTestSchema('pg_other');
      otherDb = createPostgresKnex(other.connection);
      await db.schema.createTable('only_here', (t) => t.integer('x'));
      expect(await db.schema.hasTable('only_here')).to.equal(true);
      expect(await otherDb.schema.hasTable('only_here')).to.equal(false);
    } finally {
      await otherDb?.destroy();
      if (other) await dropTestSchema(other);
    }
  });
});
