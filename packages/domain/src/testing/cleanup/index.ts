export type { ActivityLogContractHarness } from './activity-log-contract.harness';
export { InMemoryActivityLogRepository, inMemoryActivityLogHarness } from './in-memory-activity-log';
export { activityLogContract } from './activity-log.contract';
