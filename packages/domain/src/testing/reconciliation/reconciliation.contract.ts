import { expect } from 'chai';
import type { Discrepancy } from '../../reconciliation/reconciliation.ports';
import { reconcileMonth } from '../../reconciliation/reconcile-month.use-case';
import { givenSmallBanca, sold } from '../settlement/contract-world';
import type { ReconciliationContractHarness } from './reconciliation-contract.harness';

const SETTLED = { isSettled: true, canEdit: false, settledAt: new Date('2025-03-20T03:00:00Z') };

/** March 2025 of a small banca whose books agree: settled days, a carried-forward day, a provisional day, two month balances. */
async function givenCleanMarch(h: ReconciliationContractHarness) {
  const w = await givenSmallBanca(h);
  await h.givenStatement({ ...w.vendedor, date: '2025-02-27', ...sold('100.00'), remainingBalance: '100.00', ...SETTLED });
  await h.givenStatement({ ...w.vendedor, date: '2025-03-02', ...sold('50.00'), totalCollected: '20.00', remainingBalance: '130.00', ...SETTLED });
  await h.givenMovement({ ...w.vendedor, date: '2025-03-02', type: 'collection', amount: '20.00' });
  await h.givenMovement({ ...w.vendedor, date: '2025-03-02', type: 'payment', amount: '9.00', isReversed: true });
  await h.givenStatement({ ...w.vendedor, date: '2025-03-03', remainingBalance: '130.00' });
  // Not settled yet: its provisional figure and the movement of its day are not discrepancies.
  await h.givenStatement({ ...w.vendedor, date: '2025-03-05', ...sold('10.00'), remainingBalance: '999.00' });
  await h.givenMovement({ ...w.vendedor, date: '2025-03-05', type: 'payment', amount: '1.00' });
  await h.givenStatement({ ...w.vendedor, date: '2025-03-06', remainingBalance: '999.00' });
  const vendedorId = w.vendedor.vendedorId;
  const { bancaId, ventanaId } = w.ventana;
  await h.givenClosingRow({ month: '2025-02', dimension: 'vendedor', entityId: vendedorId, bancaId, ticketCount: 1, totalSales: '100.00' });
  await h.givenClosingRow({ month: '2025-03', dimension: 'vendedor', entityId: vendedorId, bancaId, openingBalance: '100.00', ticketCount: 2, totalSales: '60.00', totalCollected: '20.00' });
  await h.givenClosingRow({ month: '2025-03', dimension: 'ventana', entityId: ventanaId, bancaId });
  return w;
}

const withoutNames = (discrepancies: Discrepancy[]) => discrepancies.map(({ entityName: _name, ...d }) => d);

/** ReconciliationRepository and reconcileMonth (see docs/decisions.md, "Reconciliation"). */
export function reconciliationContract(name: string, makeHarness: () => Promise<ReconciliationContractHarness>): void {
  describe(`reconciliation contract: ${name}`, () => {
    let h: ReconciliationContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h?.close());

    const reconcile = (options: Partial<Parameters<typeof reconcileMonth>[1]> = {}) => reconcileMonth({ reconciliation: h.reconciliation }, { month: '2025-03', ...options });

    it('a month whose books agree is clean', async () => {
      await givenCleanMarch(h);
      expect(await reconcile()).to.deep.equal({
        month: '2025-03', dimension: null, entityId: null, clean: true, total: 0, discrepancies: [], truncated: false,
        counts: { STATEMENT_CHAIN: 0, STATEMENT_MOVEMENTS: 0, CLOSING_OPENING: 0, CLOSING_TOTALS: 0 },
      });
    });

    it('reports each kind of discrepancy with its figures', async () => {
      const w = await givenCleanMarch(h);
      const other = w.otherVendedor;
      // A settled day that does not follow from the one before.
      await h.givenStatement({ ...other, date: '2025-03-01', ...sold('10.00'), remainingBalance: '10.00', ...SETTLED });
      await h.givenStatement({ ...other, date: '2025-03-04', ...sold('10.00'), remainingBalance: '15.00', ...SETTLED });
      // A payment on a settled day it does not count, and one on a day before the latest settled one that has no statement.
      await h.givenMovement({ ...other, date: '2025-03-01', type: 'payment', amount: '5.00' });
      await h.givenMovement({ ...other, date: '2025-03-02', type: 'payment', amount: '2.50' });
      // A month balance that opens from nothing, and one whose sales are not its statements'.
      await h.givenClosingRow({ month: '2025-03', dimension: 'vendedor', entityId: other.vendedorId, bancaId: other.bancaId, ticketCount: 2, totalSales: '25.00' });
      await h.givenClosingRow({ month: '2025-03', dimension: 'banca', entityId: other.bancaId, bancaId: other.bancaId, openingBalance: '7.00' });

      const report = await reconcile();
      expect(report).to.include({ clean: false, total: 5, truncated: false });
      expect(report.counts).to.deep.equal({ STATEMENT_CHAIN: 1, STATEMENT_MOVEMENTS: 2, CLOSING_OPENING: 1, CLOSING_TOTALS: 1 });
      const entity = { dimension: 'vendedor', entityId: other.vendedorId };
      expect(withoutNames(report.discrepancies)).to.deep.equal([
        { kind: 'STATEMENT_CHAIN', ...entity, date: '2025-03-04', previousDate: '2025-03-01', previousRemaining: '10.00', expectedRemaining: '20.00', storedRemaining: '15.00' },
        { kind: 'STATEMENT_MOVEMENTS', ...entity, date: '2025-03-01', settled: true, storedPaid: '0.00', movementsPaid: '5.00', storedCollected: '0.00', movementsCollected: '0.00' },
        { kind: 'STATEMENT_MOVEMENTS', ...entity, date: '2025-03-02', settled: false, storedPaid: '0.00', movementsPaid: '2.50', storedCollected: '0.00', movementsCollected: '0.00' },
        { kind: 'CLOSING_OPENING', dimension: 'banca', entityId: other.bancaId, month: '2025-03', openingBalance: '7.00', previousRemaining: '0.00' },
        { kind: 'CLOSING_TOTALS', ...entity, month: '2025-03', field: 'totalSales', closing: '25.00', statements: '20.00' },
      ]);
    });

    it('narrows to a dimension or one entity, and returns at most the limit with every count', async () => {
      const w = await givenCleanMarch(h);
      await h.givenClosingRow({ month: '2025-03', dimension: 'banca', entityId: w.banca.bancaId, bancaId: w.banca.bancaId, openingBalance: '7.00', totalSales: '1.00' });
      await h.givenStatement({ ...w.otherVendedor, date: '2025-03-09', ...sold('3.00'), remainingBalance: '1.00', ...SETTLED });

      expect((await reconcile({ dimension: 'banca' })).counts).to.deep.equal({ STATEMENT_CHAIN: 0, STATEMENT_MOVEMENTS: 0, CLOSING_OPENING: 1, CLOSING_TOTALS: 1 });
      expect((await reconcile({ dimension: 'vendedor', entityId: w.vendedor.vendedorId })).clean).to.equal(true);
      expect((await reconcile({ dimension: 'vendedor', entityId: w.otherVendedor.vendedorId })).total).to.equal(1);
      const limited = await reconcile({ limit: 1 });
      expect(limited).to.include({ total: 3, truncated: true });
      expect(limited.discrepancies.map((d) => d.kind)).to.deep.equal(['STATEMENT_CHAIN']);
    });
  });
}
