import { expect } from 'chai';
import { givenSmallBanca, rowById, sold } from './contract-world';
import type { SettlementContractHarness } from './settlement-contract.harness';

const CUTOFF = '2025-03-13';
const AT = new Date('2025-03-20T03:00:00Z');
const LATER = new Date('2025-03-21T03:00:00Z');

/** StatementRepository.countEligible and settleEligible (docs/architecture.md, Settlement). */
export function statementRepositoryContract(harness: () => SettlementContractHarness): void {
  const settle = (batchSize: number, settledAt = AT, settledBy: string | null = null) =>
    harness().statementRepository.settleEligible({ cutoff: CUTOFF, batchSize, settledAt, settledBy });

  describe('StatementRepository.countEligible', () => {
    it('counts unsettled statements before the cutoff with tickets, payments or collections', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      await h.givenStatement({ ...w.vendedor, date: '2025-03-10', ...sold('5.00') });
      await h.givenStatement({ ...w.ventana, date: '2025-03-11', totalPaid: '5.00' });
      await h.givenStatement({ ...w.banca, date: '2025-03-12', totalCollected: '0.01' });
      await h.givenStatement({ ...w.otherVendedor, date: '2025-03-09', ...sold('5.00'), isSettled: true, canEdit: false, settledAt: AT });
      await h.givenStatement({ ...w.otherVendedor, date: CUTOFF, ...sold('5.00') });
      await h.givenStatement({ ...w.otherVendedor, date: '2025-03-05', remainingBalance: '40.00' });
      expect(await h.statementRepository.countEligible(CUTOFF)).to.equal(3);
    });

    it('with a limit, counts days up to it: a day with a statement and movements, or movements only, counts once; days before a settled one never', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      await h.givenStatement({ ...w.vendedor, date: '2025-03-04', ...sold('5.00') });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-05', ...sold('5.00'), isSettled: true, canEdit: false, settledAt: AT });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-05', type: 'payment', amount: '3.00' });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-06', ...sold('5.00') });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-06', type: 'payment', amount: '1.00' });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-06', type: 'collection', amount: '2.00' });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-07', type: 'payment', amount: '1.00' });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-07', type: 'payment', amount: '4.00' });
      await h.givenStatement({ ...w.ventana, date: '2025-03-06', ...sold('5.00') });
      await h.givenMovement({ ...w.banca, date: CUTOFF, type: 'payment', amount: '1.00' });

      expect(await h.statementRepository.countEligible(CUTOFF)).to.equal(3);
      for (const atMost of [0, 1, 2, 3, 4, 100]) {
        expect(await h.statementRepository.countEligible(CUTOFF, atMost), `up to ${atMost}`).to.equal(Math.min(3, atMost));
      }
    });

    it('with a limit, counts the oldest days with movements only once each, however many movements they hold', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      for (const date of ['2025-03-01', '2025-03-02', '2025-03-03']) {
        for (const amount of ['1.00', '2.00', '3.00']) await h.givenMovement({ ...w.vendedor, date, type: 'payment', amount });
      }
      await h.givenStatement({ ...w.ventana, date: '2025-03-10', ...sold('5.00') });
      expect(await h.statementRepository.countEligible(CUTOFF, 2)).to.equal(2);
      expect(await h.statementRepository.countEligible(CUTOFF, 3)).to.equal(3);
      expect(await h.statementRepository.countEligible(CUTOFF, 10)).to.equal(4);
    });

    it('refuses a limit that is not a non-negative integer', async () => {
      const h = harness();
      for (const atMost of [-1, 1.5, Number.NaN, Infinity]) {
        const error = await h.statementRepository.countEligible(CUTOFF, atMost).then(() => null, (e: unknown) => e);
        expect(error, String(atMost)).to.be.instanceOf(RangeError);
      }
    });
  });

  describe('StatementRepository.settleEligible', () => {
    it('settles the oldest dates first, across entities, at most the batch size', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      await h.givenStatement({ ...w.vendedor, date: '2025-03-04', ...sold('1.00') });
      await h.givenStatement({ ...w.banca, date: '2025-03-03', ...sold('1.00') });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-02', ...sold('1.00') });
      await h.givenStatement({ ...w.ventana, date: '2025-03-01', ...sold('1.00') });
      expect(await settle(2)).to.deep.equal({ settledCount: 2, skippedCount: 0, errorCount: 0 });
      const settledDates = (await h.statements()).filter((r) => r.isSettled).map((r) => r.date).sort();
      expect(settledDates).to.deep.equal(['2025-03-01', '2025-03-02']);
      expect(await h.statementRepository.countEligible(CUTOFF)).to.equal(2);
    });

    it('recomputes paid and collected from the non-reversed movements of that entity and date, and marks the row settled', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      const userId = await h.givenUser();
      const vendedorDay = await h.givenStatement({ ...w.vendedor, date: '2025-03-10', ...sold('100.00'), totalPaid: '999.00' });
      const ventanaDay = await h.givenStatement({ ...w.ventana, date: '2025-03-10', ticketCount: 2, totalSales: '40.00' });
      const bancaDay = await h.givenStatement({ ...w.banca, date: '2025-03-10', ticketCount: 3 });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-10', type: 'payment', amount: '30.00' });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-10', type: 'collection', amount: '50.00' });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-10', type: 'payment', amount: '99.00', isReversed: true });
      await h.givenMovement({ ...w.vendedor, date: '2025-03-11', type: 'payment', amount: '7.00' });
      await h.givenMovement({ ...w.otherVendedor, date: '2025-03-10', type: 'payment', amount: '11.00' });
      await h.givenMovement({ ...w.ventana, date: '2025-03-10', type: 'collection', amount: '13.00' });
      await h.givenMovement({ ...w.banca, date: '2025-03-10', type: 'payment', amount: '8.00' });

      expect(await settle(10, AT, userId)).to.deep.equal({ settledCount: 5, skippedCount: 0, errorCount: 0 });
      const rows = await h.statements();
      const settled = { isSettled: true, canEdit: false, settledBy: userId };
      expect(rowById(rows, vendedorDay)).to.include({ totalPaid: '30.00', totalCollected: '50.00', remainingBalance: '80.00', ...settled });
      // Payments on days without a statement count on their own day, which gets its statement.
      expect(rows.find((r) => r.vendedorId === w.vendedor.vendedorId && r.date === '2025-03-11')).to.include({
        ticketCount: 0, totalSales: '0.00', totalPaid: '7.00', totalCollected: '0.00', remainingBalance: '87.00', ...settled,
      });
      expect(rows.find((r) => r.vendedorId === w.otherVendedor.vendedorId)).to.include({ date: '2025-03-10', totalPaid: '11.00', remainingBalance: '11.00', ...settled });
      expect(rowById(rows, ventanaDay)).to.include({ totalPaid: '0.00', totalCollected: '13.00', remainingBalance: '27.00', ...settled });
      expect(rowById(rows, bancaDay)).to.include({ totalPaid: '8.00', totalCollected: '0.00', remainingBalance: '8.00', ...settled });
      expect(rows.map((r) => r.settledAt?.toISOString())).to.deep.equal(rows.map(() => AT.toISOString()));
    });

    for (const batchSize of [10, 1]) {
      it(`carries the remaining balance from day to day of each entity (batches of ${batchSize})`, async () => {
        const h = harness();
        const w = await givenSmallBanca(h);
        await h.givenStatement({ ...w.vendedor, date: '2025-03-01', ...sold('1.00'), remainingBalance: '500.00', isSettled: true, canEdit: false, settledAt: AT });
        const days = [
          await h.givenStatement({ ...w.vendedor, date: '2025-03-02', ...sold('100.00') }),
          await h.givenStatement({ ...w.vendedor, date: '2025-03-03', ticketCount: 1, totalPayouts: '20.00' }),
          await h.givenStatement({ ...w.vendedor, date: '2025-03-04', ...sold('50.00') }),
        ];
        await h.givenMovement({ ...w.vendedor, date: '2025-03-02', type: 'collection', amount: '40.00' });
        await h.givenMovement({ ...w.vendedor, date: '2025-03-03', type: 'payment', amount: '10.00' });
        await h.givenStatement({ ...w.otherVendedor, date: '2025-03-01', ...sold('1.00'), remainingBalance: '1000.00', isSettled: true, canEdit: false, settledAt: AT });
        const other = await h.givenStatement({ ...w.otherVendedor, date: '2025-03-03', ...sold('1.00') });

        while ((await settle(batchSize)).settledCount > 0);
        const rows = await h.statements();
        expect(days.map((id) => rowById(rows, id).remainingBalance)).to.deep.equal(['560.00', '550.00', '600.00']);
        expect(rowById(rows, other).remainingBalance).to.equal('1001.00');
      });
    }

    it('never touches settled, recent or zero-activity statements before the batch, nor counts movements of settled days', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      const userId = await h.givenUser();
      await h.givenStatement({ ...w.vendedor, date: '2025-03-05', ...sold('9.00'), remainingBalance: '12.34', isSettled: true, canEdit: false, settledAt: AT, settledBy: userId });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-06', remainingBalance: '77.00' });
      await h.givenStatement({ ...w.vendedor, date: CUTOFF, ...sold('3.00') });
      const eligible = await h.givenStatement({ ...w.vendedor, date: '2025-03-07', ...sold('3.00') });
      for (const date of ['2025-03-05', CUTOFF]) await h.givenMovement({ ...w.vendedor, date, type: 'payment', amount: '1.00' });
      const untouched = (await h.statements()).filter((r) => r.id !== eligible);

      expect(await settle(10, LATER)).to.deep.equal({ settledCount: 1, skippedCount: 0, errorCount: 0 });
      const rows = await h.statements();
      expect(rows.filter((r) => r.id !== eligible)).to.have.deep.members(untouched);
      expect(rowById(rows, eligible).remainingBalance).to.equal('80.00');
    });

    it('settles nothing twice when run again', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      for (const date of ['2025-03-01', '2025-03-02', '2025-03-03']) await h.givenStatement({ ...w.vendedor, date, ...sold('1.00') });
      expect((await settle(10)).settledCount).to.equal(3);
      const first = await h.statements();
      expect(await settle(10, LATER)).to.deep.equal({ settledCount: 0, skippedCount: 0, errorCount: 0 });
      expect(await h.statements()).to.have.deep.members(first);
    });

    it('two concurrent runs settle each statement exactly once', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      for (const date of ['2025-03-01', '2025-03-02', '2025-03-03']) {
        await h.givenStatement({ ...w.vendedor, date, ...sold('1.00') });
        await h.givenStatement({ ...w.otherVendedor, date, ...sold('2.00') });
      }
      const runs = await Promise.all([settle(10, AT), settle(10, LATER)]);
      expect(runs.reduce((sum, r) => sum + r.settledCount, 0)).to.equal(6);
      expect(runs.every((r) => r.errorCount === 0)).to.equal(true);
      expect((await h.statements()).every((r) => r.isSettled)).to.equal(true);
    });
  });
}
