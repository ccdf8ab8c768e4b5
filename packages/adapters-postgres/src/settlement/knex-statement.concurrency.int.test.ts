import { expect } from 'chai';
import type { Knex } from 'knex';
import { Money, addCRDays, runningRemainingBalances, statementBalance } from '@banca/domain';
import type { AccountIds } from '@banca/domain';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from './banca-fixtures.test-helpers';
import { KnexStatementRepository } from './knex-statement.repository';
import { insertStatement, readStatements } from './settlement.test-helpers';

const CUTOFF = '2025-03-01';
const FIRST_DAY = '2025-01-01';
const DAYS = 40;

/** Deterministic amounts in céntimos, so a failure can be replayed. */
function amounts(seed: number): () => string {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Money.ofCents(BigInt(state % 50000)).toString();
  };
}

interface Day {
  id: string;
  balance: string;
  totalPaid: string;
  totalCollected: string;
}

/** A backlog of every dimension: one settled opening statement each, then DAYS unsettled days with sales and movements. */
async function givenBacklog(db: Knex): Promise<Map<string, { opening: string; days: Day[] }>> {
  const h = knexBancaFixtures(db);
  const bancaId = await h.givenBanca();
  const ventanaId = await h.givenVentana({ bancaId });
  const owners: AccountIds[] = [{ bancaId }, { ventanaId, bancaId }];
  for (let i = 0; i < 4; i++) owners.push({ vendedorId: await h.givenVendedor({ ventanaId, bancaId }), ventanaId, bancaId });
  const next = amounts(42);
  const expected = new Map<string, { opening: string; days: Day[] }>();
  for (const owner of owners) {
    const opening = next();
    await insertStatement(db, { ...owner, date: '2024-12-31', ticketCount: 1, totalSales: opening, isSettled: true, canEdit: false, settledAt: new Date('2025-01-01T00:00:00Z') });
    const days: Day[] = [];
    for (let d = 0; d < DAYS; d++) {
      const date = addCRDays(FIRST_DAY, d);
      const sales = { totalSales: next(), totalPayouts: next(), totalCommissions: '1.00' };
      const paid = d % 3 === 0 ? next() : '0.00';
      const collected = d % 4 === 0 ? next() : '0.00';
      if (paid !== '0.00') await h.givenMovement({ ...owner, date, type: 'payment', amount: paid });
      if (collected !== '0.00') await h.givenMovement({ ...owner, date, type: 'collection', amount: collected });
      if (d % 5 === 0) await h.givenMovement({ ...owner, date, type: 'payment', amount: '999.00', isReversed: true });
      const id = await insertStatement(db, { ...owner, date, ticketCount: 1, ...sales });
      days.push({ id, balance: statementBalance(sales), totalPaid: paid, totalCollected: collected });
    }
    expected.set(JSON.stringify(owner), { opening, days });
  }
  return expected;
}

/** Settles batch after batch until a run finds nothing left to pick. */
async function drain(repository: KnexStatementRepository, batchSize: number, settledBy: string) {
  const totals = { settledCount: 0, skippedCount: 0, runs: 0 };
  for (;;) {
    const result = await repository.settleEligible({ cutoff: CUTOFF, batchSize, settledAt: new Date(), settledBy });
    totals.runs += 1;
    totals.settledCount += result.settledCount;
    totals.skippedCount += result.skippedCount;
    expect(result.errorCount).to.equal(0);
    if (result.settledCount + result.skippedCount === 0) return totals;
  }
}

describe('KnexStatementRepository.settleEligible, two processes at once on real PostgreSQL', () => {
  let database: MigratedDatabase;

  beforeEach(async () => {
    database = await createMigratedSchema('settle_race');
  });
  afterEach(() => database.close());

  it('settles every eligible statement exactly once, with the running balances of a single run', async () => {
    const expected = await givenBacklog(database.knex);
    const eligible = [...expected.values()].reduce((sum, e) => sum + e.days.length, 0);
    const first = new KnexStatementRepository(database.knex);
    const second = new KnexStatementRepository(database.connectAgain());
    expect(await first.countEligible(CUTOFF)).to.equal(eligible);

    const [a, b] = await Promise.all([drain(first, 7, 'process-a'), drain(second, 11, 'process-b')]);

    // Both processes took part, so the runs really overlapped.
    expect(a.settledCount).to.be.greaterThan(0);
    expect(b.settledCount).to.be.greaterThan(0);
    expect(a.settledCount + b.settledCount).to.equal(eligible);
    expect(await first.countEligible(CUTOFF)).to.equal(0);
    const rows = new Map((await readStatements(database.knex)).map((row) => [row.id, row]));
    for (const { opening, days } of expected.values()) {
      const balances = runningRemainingBalances(opening, days);
      days.forEach((day, i) => {
        expect(rows.get(day.id), `day ${i}`).to.include({
          isSettled: true,
          canEdit: false,
          totalPaid: day.totalPaid,
          totalCollected: day.totalCollected,
          remainingBalance: balances[i],
        });
      });
    }
    const settledBy = [...rows.values()].filter((row) => row.date !== '2024-12-31').map((row) => row.settledBy);
    expect(settledBy.filter((by) => by === 'process-a')).to.have.length(a.settledCount);
    expect(settledBy.filter((by) => by === 'process-b')).to.have.length(b.settledCount);
  });
});
