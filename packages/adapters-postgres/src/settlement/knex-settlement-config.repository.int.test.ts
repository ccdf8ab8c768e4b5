import { expect } from 'chai';
import { DEFAULT_SETTLEMENT_CONFIG } from '@banca/domain';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { KnexSettlementConfigRepository } from './knex-settlement-config.repository';

describe('KnexSettlementConfigRepository on real PostgreSQL', () => {
  let db: MigratedDatabase;
  beforeEach(async () => {
    db = await createMigratedSchema('settlement_config');
  });
  afterEach(() => db.close());

  it('writes nothing when it reads: a scrape or a GET never creates the row', async () => {
    await new KnexSettlementConfigRepository(db.knex).get();
    expect(await db.knex('account_statement_settlement_config').count({ count: '*' })).to.deep.equal([{ count: '0' }]);
  });

  it('has column defaults equal to the domain’s defaults, so the row a first change creates starts from them', async () => {
    await db.knex('account_statement_settlement_config').insert({ id: 1 });
    expect(await new KnexSettlementConfigRepository(db.knex).get()).to.deep.equal(DEFAULT_SETTLEMENT_CONFIG);
  });
});
