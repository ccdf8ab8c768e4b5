import { expect } from 'chai';
import type { ClosingDimension } from '@banca/domain';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { closeDimensionBatchQuery } from './close-dimension-batch.sql';

/** The ticket sums must be reachable through an index on the month's dates, or every page reads the whole table. */
describe('monthly closing ticket aggregation plan on real PostgreSQL', () => {
  let database: MigratedDatabase;

  before(async () => {
    database = await createMigratedSchema('closing_plan');
  });
  after(() => database.close());

  const plan = (dimension: ClosingDimension) =>
    database.knex.transaction(async (trx) => {
      // On tiny test tables a sequential scan is always cheapest; forbidding it shows which indexes the query can use.
      await trx.raw('SET LOCAL enable_seqscan = off');
      const { sql, bindings } = closeDimensionBatchQuery({
        month: '2025-02', previousMonth: '2025-01', firstDay: '2025-02-01', lastDay: '2025-02-28', dimension,
        afterEntityId: null, limit: 500, closedAt: new Date(), closedBy: null,
      });
      const { rows } = await trx.raw(`EXPLAIN ${sql}`, bindings);
      return (rows as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
    });

  // Which of the two wins depends on the table's statistics; with many vendedores it is the one keyed by vendedor.
  it('reads a page of vendedores through an index on business dates', async () => {
    expect(await plan('vendedor')).to.match(/tickets_(vendedor_)?business_date_idx/);
  });

  for (const dimension of ['ventana', 'banca'] as const) {
    it(`reads the month of a ${dimension} page through tickets_business_date_idx`, async () => {
      expect(await plan(dimension)).to.match(/tickets_business_date_idx/);
    });
  }
});
