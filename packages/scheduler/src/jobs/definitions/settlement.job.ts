import { settleStatements } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const settlementJob = defineJob({
  name: 'settlement',
  lockTtlMs: 30 * MINUTE,
  run: ({ ports: { settlementConfig, statements, logger }, clock, options }) =>
    settleStatements({ config: settlementConfig, statements, clock, logger }, { trigger: options.trigger ?? 'manual', userId: options.userId ?? null }),
  processedCount: (summary) => summary.settledCount + summary.carryForward.createdCount,
  skippedReason: (summary) => (summary.disabled ? 'settlement is disabled in its configuration' : null),
});
