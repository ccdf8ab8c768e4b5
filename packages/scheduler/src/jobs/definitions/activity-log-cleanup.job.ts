import { cleanupActivityLogs } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const activityLogCleanupJob = defineJob({
  name: 'activity-log.cleanup',
  lockTtlMs: 60 * MINUTE,
  run: ({ ports: { activityLogs }, clock, settings }) => cleanupActivityLogs({ activityLogs, clock }, { retentionDays: settings.activityLogRetentionDays }),
  processedCount: (summary) => summary.deletedCount,
});
