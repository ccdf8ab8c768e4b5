import type { JobName } from '@banca/domain';
import type { JobRunResult } from '@banca/domain/ports';
import { loadConfig } from './config/env.config';
import { closeProcessContainer, createProcessContainer } from './composition/process-container';
import { ServiceIds } from './composition/service-ids';
import type { RunJobOptions } from './jobs/job-definition';
import { createStdoutLogger } from './logging/stdout-logger';

/**
 * Runs one job now, a manual run unless `trigger` says otherwise, on the backends the environment
 * configures (`env`, else `process.env`), and returns its summary. Throws a DomainError for bad input
 * (unknown job, invalid month or instant) before anything runs, and `JOB.ALREADY_RUNNING` when
 * another run holds the job's lock.
 */
export async function runJob(name: JobName, options: RunJobOptions & { env?: Readonly<Record<string, string | undefined>> } = {}): Promise<JobRunResult<object>> {
  const { env, ...runOptions } = options;
  const config = loadConfig(env ?? process.env);
  const logger = createStdoutLogger({ level: config.log.level, pretty: config.log.pretty });
  const container = createProcessContainer('cli', config, logger);
  try {
    return await (await container.getAsync(ServiceIds.JobRunner)).runJob(name, { trigger: 'manual', ...runOptions });
  } finally {
    await closeProcessContainer(container);
  }
}
