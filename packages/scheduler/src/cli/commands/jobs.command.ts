import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DomainError, JOB_NAMES, JOBS, parseIsoInstant } from '@banca/domain';
import { type JobRunResult } from '@banca/domain/ports';
import { adminOperationsOf, runView } from '../../admin/admin-operations';
import { ServiceIds } from '../../composition/service-ids';
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
  return withCliContainer(async ({ container }) => {
    const jobs = await (await adminOperationsOf(container)).listJobs();
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
  // The clock of that run, read as strictly as the API reads instants: 2025-02-30 is refused, not rolled over.
  const now = values.now === undefined ? undefined : parseIsoInstant(values.now, '--now');
  return withCliContainer(async ({ logger, container }) => {
    const runner = await container.getAsync(ServiceIds.JobRunner);
    const progress = name === 'monthly-closing' ? createProgress(`closing ${values.month ?? 'previous month'}`, null, logger) : null;
    const result: JobRunResult<object> = await runner.runJob(name, {
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

