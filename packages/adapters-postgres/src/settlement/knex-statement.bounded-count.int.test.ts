import { expect } from 'chai';
import { addCRDays } from '@banca/domain';
import { createPostgresKnex } from '../knex-connection';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from './banca-fixtures.test-helpers';
import { KnexStatementRepository } from './knex-statement.repository';
import { BOUNDED_COUNT_PLAN, COUNT_ELIGIBLE_UP_TO_SQL } from './settle-eligible.sql';
import { insertStatement } from './settlement.test-helpers';

const CUTOFF = '2025-03-01';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe('KnexStatementRepository.countEligible with a limit, on real PostgreSQL', () => {
  let database: MigratedDatabase;

  before(async () => {
    database = await createMigratedSchema('bounded_count');
    const db = database.knex;
    const h = knexBancaFixtures(db);
    const bancaId = await h.givenBanca();
    const ventanaId = await h.givenVentana({ bancaId });
    for (let v = 0; v < 6; v++) {
      const owner = { vendedorId: await h.givenVendedor({ ventanaId, bancaId }), ventanaId, bancaId };
      await insertStatement(db, { ...owner, date: '2024-12-31', ticketCount: 1, totalSales: '1.00', isSettled: true, canEdit: false, settledAt: new Date('2025-01-01T00:00:00Z') });
      for (let d = 0; d < 30; d++) {
        const date = addCRDays('2025-01-01', d);
        if (d % 3 !== 2) await insertStatement(db, { ...owner, date, ticketCount: 1, totalSales: '2.00' });
        if (d % 2 === 0) await h.givenMovement({ ...owner, date, type: 'payment', amount: '1.00' });
        if (d % 4 === 0) await h.givenMovement({ ...owner, date, type: 'collection', amount: '3.00' });
      }
    }
    // Vendedores whose balance was carried forward day after day: unsettled statements without activity, never eligible.
    for (let v = 0; v < 4; v++) {
      const owner = { vendedorId: await h.givenVendedor({ ventanaId, bancaId }), ventanaId, bancaId };
      for (let d = 0; d < 30; d++) await insertStatement(db, { ...owner, date: addCRDays('2025-01-01', d), remainingBalance: '15.00' });
    }
    await db.raw('ANALYZE account_statements, account_movements');
  });
  after(() => database.close());

  it('is the whole count cut at the limit', async () => {
    const repository = new KnexStatementRepository(database.knex);
    const eligible = await repository.countEligible(CUTOFF);
    expect(eligible).to.equal(6 * 30 - 6 * 10 + 6 * 5);
    for (const atMost of [1, 25, eligible - 1, eligible, eligible + 1, 10_000]) {
      expect(await repository.countEligible(CUTOFF, atMost), `up to ${atMost}`).to.equal(Math.min(eligible, atMost));
    }
  });

  it('walks the partial indexes in order and stops at the limit: no sequential scan, hash, sort or parallel workers', async () => {
    const plan = await database.knex.transaction(async (trx) => {
      await trx.raw(BOUNDED_COUNT_PLAN);
      const { rows } = await trx.raw(`EXPLAIN (FORMAT JSON) ${COUNT_ELIGIBLE_UP_TO_SQL}`, [CUTOFF, 100, CUTOFF, 100, 100]);
      return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    });
    const nodes = nodesOf(plan);
    const types = nodes.map((node) => node['Node Type']);
    for (const avoided of ['Seq Scan', 'Hash Join', 'Hash', 'Aggregate', 'Sort', 'Merge Join', 'Gather', 'Gather Merge']) {
      expect(types.filter((type) => type === avoided).length, `${avoided} in ${types.join(', ')}`).to.equal(avoided === 'Aggregate' ? 1 : 0);
    }
    const indexes = new Set(nodes.map((node) => node['Index Name']).filter(Boolean));
    expect([...indexes].sort()).to.deep.equal(['account_movements_unsettled_idx', 'account_statements_settled_idx', 'account_statements_unsettled_active_idx']);
  });

  it('plans the count that way in the transaction it counts in', async () => {
    const queries: Array<{ sql: string; tx: unknown }> = [];
    const record = (query: { sql: string; __knexTxId?: unknown }) => queries.push({ sql: query.sql, tx: query.__knexTxId });
    database.knex.on('query', record);
    try {
      await new KnexStatementRepository(database.knex).countEligible(CUTOFF, 10);
    } finally {
      database.knex.removeListener('query', record);
    }
    const plan = queries.findIndex((query) => query.sql === BOUNDED_COUNT_PLAN);
    // knex numbers the bindings ($1, $2…), so the statement is known by its text with them put back as ?.
    const count = queries.findIndex((query) => query.sql.replace(/\$\d+/g, '?') === COUNT_ELIGIBLE_UP_TO_SQL);
    expect(plan, queries.map((query) => query.sql.slice(0, 40)).join(' | ')).to.be.at.least(0);
    expect(count).to.be.greaterThan(plan);
    expect(queries[count]!.tx).to.be.a('string').and.equal(queries[plan]!.tx);
  });

  it('leaves the planner as it was once its transaction ends', async () => {
    // One connection, so the settings read afterwards are those of the connection that counted.
    const single = createPostgresKnex({ connectionString: database.url!, pool: { min: 1, max: 1 } });
    try {
      const settings = async () =>
        (await single.raw(`SELECT current_setting('enable_seqscan') AS seqscan, current_setting('max_parallel_workers_per_gather') AS workers`)).rows[0];
      const before = await settings();
      await new KnexStatementRepository(single).countEligible(CUTOFF, 10);
      expect(await settings()).to.deep.equal(before);
      expect(before.seqscan).to.equal('on');
    } finally {
      await single.destroy();
    }
  });

  it('leaves the planner as it was in a transaction of its caller, which goes on afterwards', async () => {
    await database.knex.transaction(async (outer) => {
      const settings = async () =>
        (await outer.raw(`SELECT current_setting('enable_seqscan') AS seqscan, current_setting('enable_hashjoin') AS hashjoin, current_setting('max_parallel_workers_per_gather') AS workers`)).rows[0];
      const before = await settings();
      const repository = new KnexStatementRepository(outer);
      expect(await repository.countEligible(CUTOFF, 10)).to.equal(10);
      expect(await settings()).to.deep.equal(before);
      expect(before.seqscan).to.equal('on');
      expect(await repository.countEligible(CUTOFF)).to.be.greaterThan(10);
    });
  });
});
