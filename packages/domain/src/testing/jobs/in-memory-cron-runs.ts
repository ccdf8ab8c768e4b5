import type { CronRunRecord, CronRunRepository } from '../../jobs/job-run.ports';

export class InMemoryCronRunRepository implements CronRunRepository {
  readonly runs: CronRunRecord[] = [];

  async record(run: CronRunRecord): Promise<void> {
    this.runs.push({ ...run });
  }

  async latestByJob(): Promise<Record<string, CronRunRecord>> {
    const latest: Record<string, CronRunRecord> = {};
    for (const run of this.runs) {
      const seen = latest[run.jobName];
      if (!seen || run.startedAt.getTime() >= seen.startedAt.getTime()) latest[run.jobName] = run;
    }
    return latest;
  }
}
