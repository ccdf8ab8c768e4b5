import { join } from 'node:path';
import * as amqp from 'amqplib';
import { createPostgresKnex } from '@banca/adapters-postgres';
import { allowanceBench, producerGrowthBench } from './allowance.bench';
import { autoCreateBench } from './auto-create.bench';
import { DATABASE_PREFIX, PG_ADMIN_URL } from './bench-db';
import { cleanupBench } from './cleanup.bench';
import { closingBench } from './closing.bench';
import { closingsCsvBench } from './closings-csv.bench';
import { httpBench } from './http.bench';
import { log, type CorrectnessCheck, type FigureResult, type FigureRow, type GrowthSeries, type GrowthTableRow, type WorkerScalingRow } from './measure';
import { describeMachine, growthTextTable, loadText, textTable, workersTextTable, writeDocs } from './report';
import { settlementBench } from './settlement.bench';
import { tracingBench } from './tracing.bench';
import { RABBITMQ_URL } from './rabbitmq';
import { readOptions, type BenchSizes, type FigureName } from './sizes';


const BENCHES: Record<FigureName, (sizes: BenchSizes) => Promise<FigureResult>> = {
  closing: closingBench,
  settlement: settlementBench,
  'auto-create': autoCreateBench,
  cleanup: cleanupBench,
  allowance: allowanceBench,
  'allowance-producer': producerGrowthBench,
  http: httpBench,
  'closings-csv': closingsCsvBench,
  tracing: tracingBench,
};

async function postgresVersion(): Promise<string> {
  const knex = createPostgresKnex({ connectionString: PG_ADMIN_URL, pool: { max: 1 } });
  try {
    return (await knex.raw('SHOW server_version')).rows[0].server_version as string;
  } finally {
    await knex.destroy();
  }
}

async function rabbitmqVersion(): Promise<string> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const properties = (connection as unknown as { connection: { serverProperties: Record<string, unknown> } }).connection.serverProperties;
    return `${String(properties['product'] ?? 'RabbitMQ')} ${String(properties['version'] ?? 'unknown')}`;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const loadBefore = loadText();
  const [postgres, rabbitmq] = await Promise.all([postgresVersion(), rabbitmqVersion()]);
  log(`sizes ${JSON.stringify(options.sizes)}; figures ${options.figures.join(', ')}; load ${loadBefore}`);

  const rows: FigureRow[] = [];
  const checks: CorrectnessCheck[] = [];
  const notes: string[] = [];
  const causes: Record<string, string> = {};
  const growth: GrowthSeries[] = [];
  const growthRows: GrowthTableRow[] = [];
  const workerScaling: WorkerScalingRow[] = [];
  const figureSeconds: Record<string, number> = {};
  const failures: string[] = [];
  for (const figure of options.figures) {
    const started = Date.now();
    log(`${figure}: start`);
    try {
      const result = await BENCHES[figure](options.sizes);
      rows.push(...result.rows);
      checks.push(...result.checks);
      notes.push(...result.notes);
      Object.assign(causes, result.causes ?? {});
      growth.push(...(result.growth ?? []));
      growthRows.push(...(result.growthRows ?? []));
      workerScaling.push(...(result.workerScaling ?? []));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${figure}: ${message.split('\n')[0]}`);
      log(`${figure}: FAILED ${message}`);
    }
    figureSeconds[figure] = (Date.now() - started) / 1000;
    log(`${figure}: ${figureSeconds[figure].toFixed(1)} s`);
  }

  notes.push(
    `Every figure works in its own database (${DATABASE_PREFIX}_<figure>, BENCH_DATABASE sets the prefix), dropped and recreated at its start and dropped at its end. The scheduler, worker and api child processes get DATABASE_URL and RABBITMQ_URL but no REDIS_URL, so their job lock is the PostgreSQL advisory lock of that database and no lock key is shared with other users of the local Redis; queues are named bench.allowance.<pid> and bench.producer.<pid> and deleted afterwards.`,
  );
  const durationMs = Date.now() - startedAt.getTime();
  const machine = describeMachine(postgres, rabbitmq, loadBefore);
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  process.stdout.write(`\n${textTable(rows)}\n\n`);
  if (workerScaling.length > 0) process.stdout.write(`${workersTextTable(workerScaling)}\n\n`);
  if (growthRows.length > 0) process.stdout.write(`${growthTextTable(growthRows)}\n\n`);
  for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
  for (const failure of failures) process.stdout.write(`could not run: ${failure}\n`);
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(
    `\n${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}; ${machine.rabbitmq}; load before ${machine.loadBefore}, after ${machine.loadAfter}; ${(durationMs / 60_000).toFixed(1)} min\n`,
  );

  const allFigures = options.figures.length === Object.keys(BENCHES).length;
  if (options.writeDocs && allFigures) {
    const docs = join(__dirname, '..', 'docs');
    writeDocs(
      { machine, sizes: options.sizes, command, startedAt, durationMs, rows, checks, notes, causes, growth, growthRows, workerScaling, figureSeconds, failures },
      join(docs, 'benchmarks.md'),
      growth.length > 0 ? join(docs, 'benchmarks-growth.svg') : null,
    );
    process.stdout.write('wrote docs/benchmarks.md and docs/benchmarks-growth.svg\n');
  } else if (options.writeDocs) {
    process.stdout.write('docs/benchmarks.md left as it was: only a full run (every figure) writes it\n');
  }
  return failures.length > 0 || checks.some((check) => !check.ok) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
