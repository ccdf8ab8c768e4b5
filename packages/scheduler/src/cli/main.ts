import { isDomainError } from '@banca/domain';
import { ConfigError } from '../config/env.config';
import { EXIT, UsageError } from './cli-errors';
import { consoleCommand } from './commands/console.command';
import { dlqCommand } from './commands/dlq.command';
import { jobsCommand } from './commands/jobs.command';
import { migrateCommand } from './commands/migrate.command';
import { reconcileCommand } from './commands/reconcile.command';
import { seedCommand } from './commands/seed.command';
import { startCommand } from './commands/start.command';
import { tokenCommand } from './commands/token.command';
import { runningTelemetry } from '../telemetry/telemetry';

export const USAGE = `banca — Banca Jobs

  banca start [all-in-one|api|scheduler|worker]   run a process (all-in-one by default)
  banca worker                                    run an allowance worker
  banca migrate                                   apply the database migrations
  banca seed --demo                               add the demo banca (idempotent)
  banca seed --scale [--tickets N] [--vendedores N] [--ventanas N] [--bancas N] [--month YYYY-MM] [--activity-logs N]
  banca jobs list                                 the jobs, their UTC rules, CR times, next and last runs
  banca jobs run <name> [--month YYYY-MM] [--user ID] [--now ISO-INSTANT]
  banca reconcile --month YYYY-MM [--dimension vendedor|ventana|banca] [--entity ID] [--limit N] [--json]
                                                  a month's discrepancies; exit 0 clean, 1 with discrepancies
  banca token --sub ID --role guardian|admin [--expires-in SECONDS]
  banca console [--sub NAME] [--url BASE] [--expires-in SECONDS]
                                                  a sign-in link to the operator console (an admin token for 15 minutes)
  banca dlq depth                                 allowance messages ready, retrying, and in the DLQ not yet recorded
  banca dlq list [--status open|replaying|replayed|purged|any] [--reason CODE] [--schedule ID]
                 [--from ISO-INSTANT] [--to ISO-INSTANT] [--limit N] [--cursor C] [--json]
                                                  dead letters, newest first (open by default)
  banca dlq show --id ID                          one dead letter, as JSON
  banca dlq replay --id ID [--id ID…] | --all [--limit N]  [--user ID] [--json]
                                                  publish their runs again (a run is credited at most once)
  banca dlq purge --id ID [--id ID…] --reason "…" [--user ID] [--json]
                                                  purge dead letters: they are never replayed

Configuration comes from the environment (DATABASE_URL, RABBITMQ_URL, REDIS_URL, PORT, AUTH_JWT_SECRET, …);
see the README. Exit codes: 0 done, 1 failed, 2 bad command line or configuration.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number | null>> = {
  start: startCommand,
  worker: (args) => startCommand(['worker', ...args]),
  migrate: migrateCommand,
  seed: seedCommand,
  jobs: jobsCommand,
  reconcile: reconcileCommand,
  token: tokenCommand,
  console: consoleCommand,
  dlq: dlqCommand,
};

/** Runs one command line and exits with its code (long-running processes exit on their signal). */
export async function main(argv: string[]): Promise<void> {
  const code = await run(argv);
  if (code === null) return;
  // A one-off command (jobs run, dlq replay) exports its spans before the process ends.
  await runningTelemetry()
    ?.shutdown()
    .catch((error: unknown) => process.stderr.write(`banca: traces not exported: ${error instanceof Error ? error.message : String(error)}\n`));
  process.exitCode = code;
}

export async function run(argv: string[]): Promise<number | null> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new UsageError(`unknown command "${command}"`);
    return await handler(args);
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`banca: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`banca: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isDomainError(error)) {
    process.stderr.write(`banca: ${error.code}: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`banca: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
