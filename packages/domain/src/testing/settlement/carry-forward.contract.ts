import { expect } from 'chai';
import type { AccountIds } from '../../settlement/account-entity';
import type { SettlementContractHarness, StatementRow } from './settlement-contract.harness';

const TODAY = '2025-03-20';

/** StatementRepository.carryForward (docs/architecture.md, Carry-forward). */
export function carryForwardContract(harness: () => SettlementContractHarness): void {
  /** Active entities with a non-zero latest balance get today's row; the others are traps. */
  async function givenBalances(h: SettlementContractHarness) {
    const bancaId = await h.givenBanca();
    const ventanaId = await h.givenVentana({ bancaId });
    const vendedor = async (isActive = true): Promise<AccountIds> => ({ vendedorId: await h.givenVendedor({ ventanaId, bancaId, isActive }), ventanaId, bancaId });
    const owes = await vendedor();
    const settledUp = await vendedor();
    const inactive = await vendedor(false);
    const hasToday = await vendedor();
    const zeroedLater = await vendedor();
    const at = (ids: AccountIds, date: string, remainingBalance: string) => h.givenStatement({ ...ids, date, ticketCount: 1, remainingBalance });
    await at(owes, '2025-03-10', '0.00');
    await at(owes, '2025-03-18', '80.00');
    await at(settledUp, '2025-03-18', '0.00');
    await at(inactive, '2025-03-18', '10.00');
    await at(hasToday, '2025-03-18', '5.00');
    await at(hasToday, TODAY, '6.00');
    await at(zeroedLater, '2025-03-10', '50.00');
    await at(zeroedLater, '2025-03-15', '0.00');
    await at({ ventanaId, bancaId }, '2025-03-01', '-20.00');
    await at({ bancaId }, '2025-03-19', '7.00');
    return { bancaId, ventanaId, owes };
  }

  const todays = async (h: SettlementContractHarness): Promise<StatementRow[]> => (await h.statements()).filter((r) => r.date === TODAY);

  describe('StatementRepository.carryForward', () => {
    it("creates today's zero-activity statement with the latest non-zero remaining balance of each active entity", async () => {
      const h = harness();
      const { bancaId, ventanaId, owes } = await givenBalances(h);
      const before = new Set((await h.statements()).map((r) => r.id));
      expect(await h.statementRepository.carryForward({ today: TODAY })).to.deep.equal({ createdCount: 3, skippedCount: 1, errorCount: 0 });

      const created = (await todays(h)).filter((r) => !before.has(r.id));
      const zeroActivity = {
        date: TODAY, ticketCount: 0, totalSales: '0.00', totalPayouts: '0.00', totalCommissions: '0.00', balance: '0.00',
        totalPaid: '0.00', totalCollected: '0.00', isSettled: false, canEdit: true, settledAt: null, settledBy: null,
      };
      expect(created.map(({ id: _id, ...row }) => row)).to.have.deep.members([
        { ...zeroActivity, vendedorId: owes.vendedorId, ventanaId, bancaId, remainingBalance: '80.00' },
        { ...zeroActivity, vendedorId: null, ventanaId, bancaId, remainingBalance: '-20.00' },
        { ...zeroActivity, vendedorId: null, ventanaId: null, bancaId, remainingBalance: '7.00' },
      ]);
    });

    it('creates nothing twice, run again or run concurrently', async () => {
      const h = harness();
      await givenBalances(h);
      const runs = await Promise.all([h.statementRepository.carryForward({ today: TODAY }), h.statementRepository.carryForward({ today: TODAY })]);
      expect(runs[0]!.createdCount + runs[1]!.createdCount).to.equal(3);
      expect(await h.statementRepository.carryForward({ today: TODAY })).to.deep.equal({ createdCount: 0, skippedCount: 4, errorCount: 0 });
      expect(await todays(h)).to.have.length(4);
    });

    it('does nothing for entities without statements', async () => {
      const h = harness();
      const bancaId = await h.givenBanca();
      await h.givenVendedor({ ventanaId: await h.givenVentana({ bancaId }), bancaId });
      expect(await h.statementRepository.carryForward({ today: TODAY })).to.deep.equal({ createdCount: 0, skippedCount: 0, errorCount: 0 });
      expect(await h.statements()).to.deep.equal([]);
    });
  });
}
