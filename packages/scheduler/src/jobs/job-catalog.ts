import type { JobName } from '@banca/domain';
import { activityLogCleanupJob } from './definitions/activity-log-cleanup.job';
import { allowanceEnqueueJob } from './definitions/allowance-enqueue.job';
import { monthlyClosingJob } from './definitions/monthly-closing.job';
import { settlementJob } from './definitions/settlement.job';
import { sorteosAutoCloseJob } from './definitions/sorteos-auto-close.job';
import { sorteosAutoCreateJob } from './definitions/sorteos-auto-create.job';
import { sorteosAutoOpenJob } from './definitions/sorteos-auto-open.job';
import type { JobDefinition } from './job-definition';

/** Every job the scheduler runs: one file each under definitions/. */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  sorteosAutoOpenJob,
  sorteosAutoCreateJob,
  sorteosAutoCloseJob,
  settlementJob,
  monthlyClosingJob,
  activityLogCleanupJob,
  allowanceEnqueueJob,
];

const BY_NAME = new Map(JOB_DEFINITIONS.map((definition) => [definition.name, definition]));

export function jobDefinition(name: JobName): JobDefinition {
  const definition = BY_NAME.get(name);
  if (!definition) throw new Error(`job ${name} has no definition in the catalog`);
  return definition;
}
