import { expect } from 'chai';
import type { Knex } from 'knex';
import { usePostgresSchema } from '@banca/test-support';
import { createPostgresKnex } from '../knex-connection';
import { migrateToLatest, migrationSource, MIGRATION_TABLE } from './index';

describe('migrations on real PostgreSQL', () => {
  const schema = usePostgresSchema('migrations');
  let db: Knex;

  before(() => {
    db = createPostgresKnex(schema.current.connection);
  });
  after(() => db.destroy());

  it('apply every table once, then nothing on a second run', async () => {
    const applied = await migrateToLatest(db);
    expect(applied).to.deep.equal(await migrationSource.getMigrations([]));
    expect(await migrateToLatest(db)).to.deep.equal([]);
    const { rows } = await db.raw(`select table_name from information_schema.tables where table_schema = ? order by 1`, [schema.current.schema]);
    expect(rows.map((r: { table_name: string }) => r.table_name)).to.include.members([
      'bancas', 'ventanas', 'vendedores', 'loterias', 'sorteos', 'tickets', 'account_movements', 'account_statements',
      'account_statement_settlement_config', 'monthly_closing_balances', 'activity_logs', 'cron_runs', 'guardians',
      'juniors', 'accounts', 'transactions', 'allowance_schedules', 'allowance_credits', 'allowance_dead_letters', MIGRATION_TABLE,
    ]);
  });
});
