import { expect } from 'chai';
import { fixedClock } from '../kernel/clock.port';
import { memoryLogger } from '../kernel/logger.port';
import { InMemorySettlementConfigRepository } from '../testing/settlement/in-memory-settlement';
import type { SettleEligibleCommand, StatementRepository } from './settlement.ports';
import { settleStatements } from './settle-statements.use-case';
import { MAX_SETTLEMENT_BATCH_SIZE, SETTLEMENT_PENDING_COUNT_LIMIT } from './settlement.rules';

/** Records what the use case asks of the statements, with a chosen number of eligible rows. */
function recordingStatements(eligible: number) {
  const calls: string[] = [];
  const settles: SettleEligibleCommand[] = [];
  const statements: StatementRepository = {
    async countEligible(cutoff, atMost) {
      calls.push(`count ${cutoff} up to ${String(atMost)}`);
      return Math.min(eligible, atMost ?? Infinity);
    },
    async settleEligible(command) {
      settles.push(command);
      calls.push('settle');
      return { settledCount: Math.min(eligible, command.batchSize), skippedCount: 0, errorCount: 0 };
    },
    async carryForward({ today }) {
      calls.push(`carry ${today}`);
      return { createdCount: 4, skippedCount: 1, errorCount: 0 };
    },
  };
  return { statements, calls, settles };
}

// 21:00 CR on 2025-03-20 is 03:00Z on the 21st.
const NOW = new Date('2025-03-21T03:00:00Z');

async function run(eligible: number, options: Parameters<typeof settleStatements>[1], config: object = {}) {
  const configRepository = new InMemorySettlementConfigRepository();
  await configRepository.update(config);
  const recorded = recordingStatements(eligible);
  const logger = memoryLogger();
  const summary = await settleStatements({ config: configRepository, statements: recorded.statements, clock: fixedClock(NOW), logger }, options);
  return { summary, logger, ...recorded };
}

describe('settleStatements', () => {
  it('a scheduled run does nothing while settlement is disabled', async () => {
    const { summary, calls, logger } = await run(5, { trigger: 'schedule' });
    expect(calls).to.deep.equal([]);
    expect(logger.entries).to.deep.equal([]);
    expect(summary).to.deep.equal({
      cutoffDateCR: '2025-03-13', settlementAgeDays: 7, batchSize: 1000, totalProcessed: 0, settledCount: 0, skippedCount: 0, errorCount: 0,
      carryForward: { createdCount: 0, skippedCount: 0, errorCount: 0 },
      executedAt: '2025-03-21T03:00:00.000Z', executedBy: 'SYSTEM', disabled: true, totalPending: 0, totalPendingCapped: false, moreRecordsAvailable: false,
    });
  });

  it('a manual run settles while disabled, on the CR date of now, signed by the user', async () => {
    const { summary, calls, settles } = await run(5, { trigger: 'manual', userId: 'admin-1' });
    expect(calls).to.deep.equal(['count 2025-03-13 up to 10000', 'settle', 'carry 2025-03-20']);
    expect(settles).to.deep.equal([{ cutoff: '2025-03-13', batchSize: 1000, settledAt: NOW, settledBy: 'admin-1' }]);
    expect(summary).to.include({ disabled: false, settledCount: 5, totalProcessed: 5, executedBy: 'admin-1', moreRecordsAvailable: false });
    expect(summary.carryForward).to.deep.equal({ createdCount: 4, skippedCount: 1, errorCount: 0 });
  });

  it('a scheduled run settles when enabled, with the configured age and a clamped batch size', async () => {
    const { summary, settles } = await run(5, { trigger: 'schedule' }, { enabled: true, settlementAgeDays: 30, batchSize: 5000 });
    expect(settles).to.deep.equal([{ cutoff: '2025-02-18', batchSize: 2000, settledAt: NOW, settledBy: null }]);
    expect(summary).to.include({ cutoffDateCR: '2025-02-18', settlementAgeDays: 30, batchSize: 2000, executedBy: 'SYSTEM' });
  });

  it('warns SETTLEMENT_MORE_RECORDS_AVAILABLE when more are eligible than one batch, and never logs the summary', async () => {
    const { summary, logger } = await run(3, { trigger: 'manual' }, { batchSize: 2 });
    expect(summary).to.include({ settledCount: 2, totalPending: 3, totalPendingCapped: false, moreRecordsAvailable: true });
    expect(logger.entries).to.have.length(1);
    expect(logger.entries[0]).to.deep.include({ level: 'warn', action: 'SETTLEMENT_MORE_RECORDS_AVAILABLE' });
    expect(logger.entries[0]!.payload).to.deep.equal({
      batchSize: 2,
      totalPending: 3,
      message: '3 statements are eligible; this run settles at most 2, the next runs continue',
    });
  });

  it('counts what is pending up to the limit, and says so when the backlog reaches it', async () => {
    const below = await run(SETTLEMENT_PENDING_COUNT_LIMIT - 1, { trigger: 'manual' }, { batchSize: 2000 });
    expect(below.summary).to.include({ totalPending: SETTLEMENT_PENDING_COUNT_LIMIT - 1, totalPendingCapped: false, moreRecordsAvailable: true });

    const { summary, logger, calls } = await run(1_000_000, { trigger: 'manual' }, { batchSize: 2000 });
    expect(calls[0]).to.equal(`count 2025-03-13 up to ${SETTLEMENT_PENDING_COUNT_LIMIT}`);
    expect(summary).to.include({ settledCount: 2000, totalPending: SETTLEMENT_PENDING_COUNT_LIMIT, totalPendingCapped: true, moreRecordsAvailable: true });
    expect(logger.entries[0]!.payload).to.deep.equal({
      batchSize: 2000,
      totalPending: SETTLEMENT_PENDING_COUNT_LIMIT,
      message: `At least ${SETTLEMENT_PENDING_COUNT_LIMIT} statements are eligible (the count stops there); this run settles at most 2000, the next runs continue`,
    });
  });

  it('the count limit is above the largest batch, so a capped count still means more than one batch', () => {
    expect(SETTLEMENT_PENDING_COUNT_LIMIT).to.be.greaterThan(MAX_SETTLEMENT_BATCH_SIZE);
  });

  it('still carries balances forward when nothing is eligible', async () => {
    const { calls, summary } = await run(0, { trigger: 'manual' });
    expect(calls).to.deep.equal(['count 2025-03-13 up to 10000', 'carry 2025-03-20']);
    expect(summary).to.include({ totalProcessed: 0, settledCount: 0 });
  });
});
