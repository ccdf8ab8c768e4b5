import { expect } from 'chai';
import { closeMonth } from '../../closing/monthly-closing.use-case';
import { fixedClock } from '../../shared/clock.port';
import type { ClosingRow, MonthlyClosingContractHarness } from './closing-contract.harness';
import { givenFebruary } from './closing-world';

// 02:00 CR on 1 March 2025: the scheduled run closes February.
const NOW = new Date('2025-03-01T08:00:00Z');

/**
 * The behaviour every implementation of MonthlyClosingRepository must show (design §4, Monthly
 * closing). Call it from an adapter's test file; `makeHarness` gives a fresh, empty store per test.
 */
export function monthlyClosingContract(name: string, makeHarness: () => Promise<MonthlyClosingContractHarness>): void {
  describe(`monthly closing contract: ${name}`, () => {
    let h: MonthlyClosingContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h?.close();
    });

    const close = (month: string, batchSize = 2) => closeMonth({ closing: h.closingRepository, clock: fixedClock(NOW) }, { month, batchSize, userId: null });
    const byEntity = (rows: ClosingRow[], entityId: string) => rows.find((row) => row.entityId === entityId);

    it('closes every active entity: its tickets of the CR month, commissions by dimension, its own movements only', async () => {
      const { expected } = await givenFebruary(h);
      const summary = await close('2025-02');
      expect(summary).to.deep.equal({
        closingMonth: '2025-02', totalSuccess: 7, totalErrors: 0,
        dimensions: { vendedor: { success: 4, errors: 0 }, ventana: { success: 2, errors: 0 }, banca: { success: 1, errors: 0 } },
        executedBy: null, executedAt: NOW.toISOString(),
      });
      expect(await h.closingRows('2025-02')).to.have.deep.members(expected);
    });

    it('opens a month with the previous month\'s remaining balance', async () => {
      const { bancaId, w1, v1, v2 } = await givenFebruary(h);
      await close('2025-02');
      await h.givenTicket({ ...v1, businessDate: '2025-03-15', totalAmount: '10.00', commissionAmount: '1.00', listeroCommissionAmount: '2.00' });
      await close('2025-03');
      const march = await h.closingRows('2025-03');
      expect(byEntity(march, v1.vendedorId)).to.include({ openingBalance: '128.00', netBalance: '1009.00', totalPaid: '1000.00', remainingBalance: '2137.00' });
      expect(byEntity(march, v2.vendedorId)).to.include({ openingBalance: '-33.00', ticketCount: 0, remainingBalance: '-33.00' });
      expect(byEntity(march, w1)).to.include({ openingBalance: '-18.50', ticketCount: 2, netBalance: '1008.00', remainingBalance: '989.50' });
      expect(byEntity(march, bancaId)).to.include({ openingBalance: '256.50', remainingBalance: '1264.50' });
    });

    it('re-running a month replaces its rows: identical when nothing changed, updated when data did', async () => {
      const { v2, expected } = await givenFebruary(h);
      await close('2025-02', 1);
      await close('2025-02', 500);
      expect(await h.closingRows('2025-02')).to.have.deep.members(expected);
      await h.givenTicket({ ...v2, businessDate: '2025-02-16', totalAmount: '5.00' });
      await close('2025-02');
      const rows = await h.closingRows('2025-02');
      expect(rows).to.have.length(expected.length);
      expect(byEntity(rows, v2.vendedorId)).to.include({ ticketCount: 2, totalSales: '35.00', remainingBalance: '-28.00' });
    });

    it('pages through active entities by id after the cursor, each page at most the limit', async () => {
      const { expected } = await givenFebruary(h);
      const base = { month: '2025-02', previousMonth: '2025-01', firstDay: '2025-02-01', lastDay: '2025-02-28', dimension: 'vendedor' as const, limit: 3, closedAt: NOW, closedBy: null };
      const first = await h.closingRepository.closeDimensionBatch({ ...base, afterEntityId: null });
      expect(first).to.include({ processed: 3, errors: 0 });
      expect((await h.closingRows('2025-02')).map((row) => row.entityId)).to.include(first.lastEntityId);
      const second = await h.closingRepository.closeDimensionBatch({ ...base, afterEntityId: first.lastEntityId });
      expect(second).to.include({ processed: 1, errors: 0 });
      const last = await h.closingRepository.closeDimensionBatch({ ...base, afterEntityId: second.lastEntityId });
      expect(last).to.deep.equal({ processed: 0, errors: 0, lastEntityId: null });
      expect(await h.closingRows('2025-02')).to.have.deep.members(expected.filter((row) => row.dimension === 'vendedor'));
    });
  });
}
