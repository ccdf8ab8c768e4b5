import { cleanupActivityLogs } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const activityLogCleanupJob = defineJob({
  name: 'activity-log.cleanup',
  lockTtlMs: 60 * MINUTE,
  run: ({ ports: { activityLogs, cronRuns }, clock, settings }) =>
    cleanupActivityLogs({ activityLogs, cronRuns, clock }, { retentionDays: settings.activityLogRetentionDays, cronRunRetentionDays: settings.cronRunRetentionDays }),
  processedCount: (summary) => summary.deletedCount,
});
