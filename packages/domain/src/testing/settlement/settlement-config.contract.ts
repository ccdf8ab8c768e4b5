import { expect } from 'chai';
import { DEFAULT_SETTLEMENT_CONFIG } from '../../settlement/settlement-config';
import { settleStatements } from '../../settlement/settle-statements.use-case';
import { updateSettlementConfig } from '../../settlement/update-settlement-config.use-case';
import { fixedClock } from '../../kernel/clock.port';
import { memoryLogger } from '../../kernel/logger.port';
import { givenSmallBanca, sold } from './contract-world';
import type { SettlementContractHarness } from './settlement-contract.harness';

/** SettlementConfigRepository, and the settlement job run over the adapter's ports. */
export function settlementConfigContract(harness: () => SettlementContractHarness): void {
  describe('SettlementConfigRepository', () => {
    it('reads the defaults of the settlement config before any change', async () => {
      const h = harness();
      expect(await h.configRepository.get()).to.deep.equal(DEFAULT_SETTLEMENT_CONFIG);
      expect(await h.configRepository.get()).to.deep.equal(DEFAULT_SETTLEMENT_CONFIG);
    });

    it('saves a partial update, keeps the other fields and returns the whole configuration', async () => {
      const h = harness();
      // The first change stores the defaults with it.
      const expected = { ...DEFAULT_SETTLEMENT_CONFIG, enabled: true, cronSchedule: '30 4 * * *' };
      expect(await h.configRepository.update({ enabled: true, cronSchedule: '30 4 * * *' })).to.deep.equal(expected);
      expect(await h.configRepository.get()).to.deep.equal(expected);
      expect(await h.configRepository.update({ batchSize: 50 })).to.deep.equal({ ...expected, batchSize: 50 });
    });

    it('records who saved each change', async () => {
      const h = harness();
      await h.configRepository.update({ enabled: true }, 'admin-7');
      expect(await h.configUpdatedBy()).to.equal('admin-7');
      await updateSettlementConfig({ config: h.configRepository }, { batchSize: 20 }, 'admin-8');
      expect(await h.configUpdatedBy()).to.equal('admin-8');
    });
  });

  describe('the settlement job over these ports', () => {
    it('a manual run settles one batch even when disabled, warns that more remain and carries balances forward', async () => {
      const h = harness();
      const w = await givenSmallBanca(h);
      const userId = await h.givenUser();
      await updateSettlementConfig({ config: h.configRepository }, { batchSize: 2 });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-01', ...sold('10.00') });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-02', ...sold('10.00') });
      await h.givenStatement({ ...w.vendedor, date: '2025-03-03', ...sold('10.00'), remainingBalance: '30.00' });
      const logger = memoryLogger();
      const deps = { config: h.configRepository, statements: h.statementRepository, clock: fixedClock(new Date('2025-03-21T03:00:00Z')), logger };

      expect(await settleStatements(deps, { trigger: 'schedule' })).to.include({ disabled: true, settledCount: 0 });
      const summary = await settleStatements(deps, { trigger: 'manual', userId });
      expect(summary).to.deep.equal({
        cutoffDateCR: '2025-03-13', settlementAgeDays: 7, batchSize: 2, totalProcessed: 2, settledCount: 2, skippedCount: 0, errorCount: 0,
        carryForward: { createdCount: 1, skippedCount: 0, errorCount: 0 },
        executedAt: '2025-03-21T03:00:00.000Z', executedBy: userId, disabled: false, totalPending: 3, totalPendingCapped: false, moreRecordsAvailable: true,
      });
      expect(logger.entries.map((e) => e.action)).to.deep.equal(['SETTLEMENT_MORE_RECORDS_AVAILABLE']);
      const rows = await h.statements();
      expect(rows.filter((r) => r.isSettled).map((r) => r.settledBy)).to.deep.equal([userId, userId]);
      expect(rows.filter((r) => r.isSettled).map((r) => r.remainingBalance).sort()).to.deep.equal(['10.00', '20.00']);
      // The latest statement, not the latest settled one, carries its balance to today.
      expect(rows.find((r) => r.date === '2025-03-20')).to.include({ remainingBalance: '30.00', ticketCount: 0 });
    });
  });
}
