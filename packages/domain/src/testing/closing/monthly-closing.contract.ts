import { expect } from 'chai';
import { closeMonth } from '../../closing/monthly-closing.use-case';
import { fixedClock } from '../../kernel/clock.port';
import type { ClosingRow, MonthlyClosingContractHarness } from './closing-contract.harness';
import { givenFebruary } from './closing-world';

// 02:00 CR on 1 March 2025: the scheduled run closes February.
const NOW = new Date('2025-03-01T08:00:00Z');
// Late enough to close any month of the tests again.
const LATER = new Date('2025-07-01T08:00:00Z');

/**
 * The behaviour every implementation of MonthlyClosingRepository must show (docs/architecture.md, The banca rules). Call it from an adapter's test file; `makeHarness` gives a fresh, empty store per test.
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

    const close = (month: string, batchSize = 2, now = month < '2025-03' ? NOW : LATER) =>
      closeMonth({ closing: h.closingRepository, clock: fixedClock(now) }, { month, batchSize, userId: null });
    const byEntity = (rows: ClosingRow[], entityId: string) => rows.find((row) => row.entityId === entityId);

    it('closes every active entity: its tickets of the CR month, commissions by dimension, its own movements only', async () => {
      const { expected } = await givenFebruary(h);
      const summary = await close('2025-02');
      expect(summary).to.deep.equal({
        closingMonth: '2025-02', totalSuccess: 7, totalErrors: 0,
        vendedores: { success: 4, errors: 0 }, ventanas: { success: 2, errors: 0 }, bancas: { success: 1, errors: 0 },
        laterRowsUpdated: 0, executedBy: 'SYSTEM', executedAt: NOW.toISOString(),
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

    it('re-closing a month brings the later closed months along: opening(M+1) = remaining(M), up to the first month not closed', async () => {
      const { v1, w1, bancaId } = await givenFebruary(h);
      for (const month of ['2025-02', '2025-03', '2025-04', '2025-06']) await close(month);
      const remainingOf = async (month: string, entityId: string) => (await h.closingRows(month)).find((row) => row.entityId === entityId);
      expect(await remainingOf('2025-04', v1.vendedorId)).to.include({ openingBalance: '2128.00', remainingBalance: '2128.00' });

      await h.givenTicket({ ...v1, businessDate: '2025-02-20', totalAmount: '40.00' });
      await h.givenMovement({ ventanaId: w1, bancaId, date: '2025-02-21', type: 'payment', amount: '1.50' });
      const summary = await close('2025-02', 500, LATER);
      // v1, w1 and the banca changed in February; each has March and April after it (June is not contiguous).
      expect(summary.laterRowsUpdated).to.equal(6);
      expect(await remainingOf('2025-02', v1.vendedorId)).to.include({ remainingBalance: '168.00' });
      expect(await remainingOf('2025-03', v1.vendedorId)).to.include({ openingBalance: '168.00', totalPaid: '1000.00', remainingBalance: '2168.00' });
      expect(await remainingOf('2025-04', v1.vendedorId)).to.include({ openingBalance: '2168.00', remainingBalance: '2168.00' });
      expect(await remainingOf('2025-04', w1)).to.include({ openingBalance: '1023.00', remainingBalance: '1023.00' });
      expect(await remainingOf('2025-04', bancaId)).to.include({ openingBalance: '1296.50' });
      // A month nobody closed breaks the run: June opened from May, which has no closing, with 0.
      expect(await remainingOf('2025-06', v1.vendedorId)).to.include({ openingBalance: '0.00', remainingBalance: '0.00' });
      for (const [month, next] of [['2025-02', '2025-03'], ['2025-03', '2025-04']] as const) {
        const nextRows = await h.closingRows(next);
        for (const row of await h.closingRows(month)) expect(nextRows.find((n) => n.entityId === row.entityId)?.openingBalance, `${next} ${row.entityId}`).to.equal(row.remainingBalance);
      }
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
      expect(last).to.deep.equal({ processed: 0, errors: 0, lastEntityId: null, laterRowsUpdated: 0 });
      expect(await h.closingRows('2025-02')).to.have.deep.members(expected.filter((row) => row.dimension === 'vendedor'));
    });
  });
}
