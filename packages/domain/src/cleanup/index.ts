export type { ActivityLogRepository } from './activity-log.ports';
export {
  DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE,
  DEFAULT_ACTIVITY_LOG_RETENTION_DAYS,
  MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE,
  MAX_ACTIVITY_LOG_RETENTION_DAYS,
  activityLogCutoff,
  cleanupActivityLogs,
} from './cleanup-activity-logs.use-case';
export type { ActivityLogCleanupSummary, CleanupActivityLogsDeps, CleanupActivityLogsOptions } from './cleanup-activity-logs.use-case';
