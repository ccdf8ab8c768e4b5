import type { ActivityLogRepository } from '../../cleanup/activity-log.ports';

/**
 * What an adapter hands the activity-log contract: its port over an empty, isolated store plus a
 * technology-neutral writer (the harness fills actor, action, target and details) and a counter.
 */
export interface ActivityLogContractHarness {
  activityLogRepository: ActivityLogRepository;
  givenActivityLog(input: { createdAt: Date }): Promise<string>;
  activityLogCount(): Promise<number>;
  /** Releases what the harness opened (connections, schemas). */
  close(): Promise<void>;
}
