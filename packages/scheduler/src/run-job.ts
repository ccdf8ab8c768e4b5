import type { JobName, JobRunResult } from '@banca/domain';
import { loadConfig } from './config/env.config';
import { createProcessContainer, type RunJob } from './composition/container';
import { TOKENS } from './composition/tokens';
import { createStdoutLogger } from './logging/stdout-logger';
import type { RunJobOptions } from './jobs/run-job';

export interface RunJobRequest {
  /** Who runs it (recorded as settled_by / closed_by); null for a system run. */
  userId?: string | null;
  /** `YYYY-MM`, for monthly-closing only; the previous CR month by default. */
  month?: string;
  /** The clock of this run, for backfills and rehearsals; the system clock by default. */
  now?: Date;
  /** The environment to configure from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: RunJobOptions['onProgress'];
}

/**
 * Runs one job of design §2 now, as a manual run, on the backends the environment configures, and
 * returns its summary. Throws a DomainError for bad input (unknown job, invalid month or instant)
 * before anything runs, and `JOB.ALREADY_RUNNING` when another run holds the job's lock.
 */
export async function runJob(name: JobName, request: RunJobRequest = {}): Promise<JobRunResult<object>> {
  const config = loadConfig(request.env ?? process.env);
  const logger = createStdoutLogger({ level: config.log.level, pretty: config.log.pretty });
  const container = createProcessContainer('cli', config, logger);
  try {
    const run = await container.getAsync<RunJob>(TOKENS.RunJob);
    const { env: _env, ...options } = request;
    return await run(name, { trigger: 'manual', ...options });
  } finally {
    await container.unbindAllAsync();
  }
}
