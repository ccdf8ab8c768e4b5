import { publishDueAllowanceRuns } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const allowanceEnqueueJob = defineJob({
  name: 'allowance.enqueue',
  // Under its 5-minute interval, so a lost holder never blocks the next slot.
  lockTtlMs: 4 * MINUTE,
  run: ({ ports: { allowanceSchedules, allowanceQueue, logger }, clock, settings }) =>
    publishDueAllowanceRuns(
      { schedules: allowanceSchedules, queue: allowanceQueue, clock, logger },
      { leaseMs: settings.allowance.leaseMs, missedRuns: settings.allowance.missedRuns },
    ),
  processedCount: (summary) => summary.publishedCount,
});
