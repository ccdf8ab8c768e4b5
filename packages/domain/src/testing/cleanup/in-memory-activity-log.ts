import type { ActivityLogBatch, ActivityLogRepository } from '../../cleanup/activity-log.ports';
import type { ActivityLogContractHarness } from './activity-log-contract.harness';

/** The reference ActivityLogRepository: deletes the oldest rows first, at most `limit` per call, done once a call comes back short. */
export class InMemoryActivityLogRepository implements ActivityLogRepository {
  readonly logs: Array<{ id: string; createdAt: Date }> = [];
  private sequence = 0;

  async deleteOlderThan(cutoff: Date, limit: number): Promise<ActivityLogBatch> {
    const doomed = new Set(
      this.logs
        .filter((log) => log.createdAt.getTime() < cutoff.getTime())
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit),
    );
    const kept = this.logs.filter((log) => !doomed.has(log));
    this.logs.splice(0, this.logs.length, ...kept);
    return { deleted: doomed.size, done: doomed.size < limit };
  }

  insert(createdAt: Date): string {
    this.sequence += 1;
    const id = `activity-log-${this.sequence}`;
    this.logs.push({ id, createdAt: new Date(createdAt.getTime()) });
    return id;
  }
}

export async function inMemoryActivityLogHarness(): Promise<ActivityLogContractHarness> {
  const repository = new InMemoryActivityLogRepository();
  return {
    activityLogRepository: repository,
    givenActivityLog: async ({ createdAt }) => repository.insert(createdAt),
    activityLogCount: async () => repository.logs.length,
    close: async () => undefined,
  };
}
