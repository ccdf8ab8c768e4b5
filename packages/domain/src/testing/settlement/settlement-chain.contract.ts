import { expect } from 'chai';
import type { AccountIds } from '../../settlement/account-entity';
import { chainBreaks } from '../../settlement/settlement-chain';
import { settleStatements } from '../../settlement/settle-statements.use-case';
import { fixedClock } from '../../kernel/clock.port';
import { memoryLogger } from '../../kernel/logger.port';
import { givenSmallBanca, sold } from './contract-world';
import type { SettlementContractHarness, StatementRow } from './settlement-contract.harness';

/** The statements of one entity in date order, as `date → remaining balance`. */
async function balancesOf(h: SettlementContractHarness, ids: AccountIds): Promise<Record<string, string>> {
  return Object.fromEntries((await rowsOf(h, ids)).map((r) => [r.date, r.remainingBalance]));
}

async function rowsOf(h: SettlementContractHarness, ids: AccountIds): Promise<StatementRow[]> {
  const rows = (await h.statements()).filter(
    (r) => r.vendedorId === (ids.vendedorId ?? null) && r.ventanaId === (ids.ventanaId ?? null) && r.bancaId === ids.bancaId,
  );
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The settlement chain (see docs/decisions.md): what settlement keeps true of each entity's statements. */
export function settlementChainContract(harness: () => SettlementContractHarness): void {
  const runAt = (h: SettlementContractHarness, instant: string) =>
    settleStatements(
      { config: h.configRepository, statements: h.statementRepository, clock: fixedClock(new Date(instant)), logger: memoryLogger() },
      { trigger: 'manual', userId: null },
    );

  describe('the settlement chain', () => {
    it('a reversed collection and a collection on a day without statement: 01-01 = 1000.00, 01-03 = 1500.00, 01-05 = 800.00, carried forward 800.00', async () => {
      const h = harness();
      const { vendedor } = await givenSmallBanca(h);
      await h.givenStatement({ ...vendedor, date: '2025-01-01', ...sold('1000.00'), totalCollected: '400.00', remainingBalance: '600.00' });
      const collection = await h.givenMovement({ ...vendedor, date: '2025-01-01', type: 'collection', amount: '400.00' });
      await runAt(h, '2025-01-02T09:00:00Z');
      expect(await balancesOf(h, vendedor)).to.deep.equal({ '2025-01-01': '600.00', '2025-01-02': '600.00' });

      await h.givenStatement({ ...vendedor, date: '2025-01-03', ...sold('500.00'), remainingBalance: '1100.00' });
      await h.reverseMovement(collection);
      await h.givenMovement({ ...vendedor, date: '2025-01-05', type: 'collection', amount: '700.00' });
      const summary = await runAt(h, '2025-01-21T09:00:00Z');

      expect(summary).to.include({ cutoffDateCR: '2025-01-14', settledCount: 3, totalPending: 3 });
      expect(await balancesOf(h, vendedor)).to.deep.equal({
        '2025-01-01': '1000.00',
        '2025-01-02': '1000.00',
        '2025-01-03': '1500.00',
        '2025-01-05': '800.00',
        '2025-01-21': '800.00',
      });
      const rows = await rowsOf(h, vendedor);
      expect(rows.filter((r) => r.isSettled).map((r) => [r.date, r.totalCollected])).to.deep.equal([
        ['2025-01-01', '0.00'],
        ['2025-01-03', '0.00'],
        ['2025-01-05', '700.00'],
      ]);
      expect(rows.find((r) => r.date === '2025-01-05')).to.include({ ticketCount: 0, totalSales: '0.00', canEdit: false });
      expect(chainBreaks(rows)).to.deep.equal([]);
    });

    it('statements without activity between and after the settled days take the new balance, up to the next provisional one', async () => {
      const h = harness();
      const { vendedor } = await givenSmallBanca(h);
      await h.givenStatement({ ...vendedor, date: '2025-03-01', ...sold('100.00'), remainingBalance: '70.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-02', remainingBalance: '70.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-03', ...sold('10.00'), remainingBalance: '80.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-04', remainingBalance: '80.00' });
      // Too recent to settle: keeps its provisional figure, and the day after it follows it.
      await h.givenStatement({ ...vendedor, date: '2025-03-15', ...sold('5.00'), remainingBalance: '85.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-16', remainingBalance: '85.00' });

      await runAt(h, '2025-03-20T09:00:00Z');
      expect(await balancesOf(h, vendedor)).to.deep.equal({
        '2025-03-01': '100.00',
        '2025-03-02': '100.00',
        '2025-03-03': '110.00',
        '2025-03-04': '110.00',
        '2025-03-15': '85.00',
        '2025-03-16': '85.00',
        '2025-03-20': '85.00',
      });
      expect(chainBreaks(await rowsOf(h, vendedor))).to.deep.equal([]);
    });

    it('a day with movements only gets a settled statement of its entity, whatever the dimension', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      await h.givenMovement({ ...w.ventana, date: '2025-03-02', type: 'payment', amount: '12.50' });
      await h.givenMovement({ ...w.banca, date: '2025-03-03', type: 'collection', amount: '3.00' });
      await h.givenMovement({ ...w.banca, date: '2025-03-03', type: 'collection', amount: '1.00', isReversed: true });
      expect(await h.statementRepository.countEligible('2025-03-13')).to.equal(2);
      await runAt(h, '2025-03-20T09:00:00Z');

      const [ventanaDay] = await rowsOf(h, w.ventana);
      expect(ventanaDay).to.include({ date: '2025-03-02', vendedorId: null, ventanaId: w.ventana.ventanaId, totalPaid: '12.50', remainingBalance: '12.50', isSettled: true });
      const [bancaDay] = await rowsOf(h, w.banca);
      expect(bancaDay).to.include({ date: '2025-03-03', vendedorId: null, ventanaId: null, totalCollected: '3.00', remainingBalance: '-3.00', isSettled: true });
      expect(await h.statementRepository.countEligible('2025-03-13')).to.equal(0);
    });

    it('movements on or before the latest settled day are drift: never settled, the chain left as it is', async () => {
      const h = harness();
      const { vendedor } = await givenSmallBanca(h);
      await h.givenStatement({ ...vendedor, date: '2025-03-05', ...sold('50.00'), remainingBalance: '50.00', isSettled: true, canEdit: false, settledAt: new Date('2025-03-13T03:00:00Z') });
      await h.givenMovement({ ...vendedor, date: '2025-03-05', type: 'payment', amount: '1.00' });
      await h.givenMovement({ ...vendedor, date: '2025-03-04', type: 'payment', amount: '2.00' });
      await h.givenMovement({ ...vendedor, date: '2025-03-06', type: 'payment', amount: '4.00' });
      expect(await h.statementRepository.countEligible('2025-03-13')).to.equal(1);

      await runAt(h, '2025-03-20T09:00:00Z');
      expect(await balancesOf(h, vendedor)).to.deep.equal({ '2025-03-05': '50.00', '2025-03-06': '54.00', '2025-03-20': '54.00' });
      expect(await h.statementRepository.countEligible('2025-03-13')).to.equal(0);
    });

    for (const batchSize of [1, 2, 1000]) {
      it(`a backlog settled in batches of ${batchSize} gives the chain of a single batch`, async () => {
        const h = harness();
        const w = await givenSmallBanca(h);
        await h.configRepository.update({ batchSize });
        for (const [day, sales] of [['01', '10.00'], ['03', '20.00'], ['06', '40.00']] as const) {
          await h.givenStatement({ ...w.vendedor, date: `2025-03-${day}`, ...sold(sales), remainingBalance: '999.00' });
          await h.givenStatement({ ...w.otherVendedor, date: `2025-03-${day}`, ...sold(sales), remainingBalance: '999.00' });
        }
        for (const ids of [w.vendedor, w.otherVendedor]) {
          await h.givenStatement({ ...ids, date: '2025-03-02', remainingBalance: '999.00' });
          await h.givenMovement({ ...ids, date: '2025-03-04', type: 'collection', amount: '5.00' });
        }
        for (let run = 0; (await h.statementRepository.countEligible('2025-03-13')) > 0; run++) {
          expect(run, 'runs needed').to.be.below(20);
          await runAt(h, '2025-03-20T09:00:00Z');
        }
        for (const ids of [w.vendedor, w.otherVendedor]) {
          expect(await balancesOf(h, ids)).to.deep.equal({
            '2025-03-01': '10.00',
            '2025-03-02': '10.00',
            '2025-03-03': '30.00',
            '2025-03-04': '25.00',
            '2025-03-06': '65.00',
            '2025-03-20': '65.00',
          });
        }
      });
    }

    it('a settlement and a carry-forward at once leave the chain of one after the other', async () => {
      const h = harness();
      const { vendedor } = await givenSmallBanca(h);
      await h.givenStatement({ ...vendedor, date: '2025-03-01', ...sold('100.00'), remainingBalance: '1.00' });
      await h.givenMovement({ ...vendedor, date: '2025-03-02', type: 'payment', amount: '10.00' });
      await Promise.all([
        h.statementRepository.settleEligible({ cutoff: '2025-03-13', batchSize: 10, settledAt: new Date('2025-03-20T09:00:00Z'), settledBy: null }),
        h.statementRepository.carryForward({ today: '2025-03-20' }),
      ]);
      expect(await balancesOf(h, vendedor)).to.deep.equal({ '2025-03-01': '100.00', '2025-03-02': '110.00', '2025-03-20': '110.00' });
    });
  });
}
