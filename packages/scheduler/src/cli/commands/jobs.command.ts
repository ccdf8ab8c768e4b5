import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DomainError, JOB_NAMES, JOBS, type JobRunResult } from '@banca/domain';
import { adminOperations, runView } from '../../admin/admin-operations';
import type { RunJob } from '../../composition/container';
import { TOKENS } from '../../composition/tokens';
import { EXIT, UsageError } from '../cli-errors';
import { createProgress } from '../progress';
import { withCliContainer } from './process-env';

/** `banca jobs list` and `banca jobs run <name> [--month] [--user] [--now]`. */
export async function jobsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') return listJobs(rest);
  if (sub === 'run') return runJobCommand(rest);
  throw new UsageError(sub ? `unknown jobs command "${sub}"` : 'jobs needs list or run');
}

async function listJobs(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`jobs list takes no arguments, got ${args.join(' ')}`);
  return withCliContainer(async ({ infrastructure, get }) => {
    const runJob = await get<RunJob>(TOKENS.RunJob);
    const jobs = await adminOperations({ infrastructure, runJob, nextRuns: () => ({}) }).listJobs();
    process.stdout.write(`${JSON.stringify({ jobs }, null, 2)}\n`);
    return EXIT.ok;
  });
}

async function runJobCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length !== 1) throw new UsageError(`jobs run needs one job name: ${JOB_NAMES.join(', ')}`);
  const name = positionals[0]!;
  if (!Object.hasOwn(JOBS, name)) {
    throw new DomainError('JOB.UNKNOWN', `unknown job ${JSON.stringify(name)}: expected one of ${JOB_NAMES.join(', ')}`, { value: name });
  }
  const now = values.now === undefined ? undefined : parseInstant(values.now);
  return withCliContainer(async ({ logger, get }) => {
    const runJob = await get<RunJob>(TOKENS.RunJob);
    const progress = name === 'monthly-closing' ? createProgress(`closing ${values.month ?? 'previous month'}`, null, logger) : null;
    const result: JobRunResult<object> = await runJob(name, {
      trigger: 'manual',
      userId: values.user ?? cliUser(),
      ...(values.month === undefined ? {} : { month: values.month }),
      ...(now === undefined ? {} : { now }),
      ...(progress ? { onProgress: (p: { done: number; label: string }) => progress.update(p.done, p.label) } : {}),
    });
    progress?.finish();
    process.stdout.write(`${JSON.stringify(runView(result), null, 2)}\n`);
    return result.status === 'FAILED' ? EXIT.failed : EXIT.ok;
  });
}

/** Who runs a job from a shell without `--user`: the operating-system account, as `cli:<name>`. */
export function cliUser(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env['USER'] ?? process.env['LOGNAME'] ?? 'unknown';
  }
  return `cli:${name}`;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { month: { type: 'string' }, user: { type: 'string' }, now: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--now` is an ISO-8601 instant with its offset: the clock of that run. */
function parseInstant(text: string): Date {
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(instant.getTime())) {
    throw new DomainError('TIME.INVALID_INSTANT', `invalid --now ${JSON.stringify(text)}: expected an ISO-8601 instant with offset, e.g. 2025-06-01T03:00:00Z`, { value: text });
  }
  return instant;
}
