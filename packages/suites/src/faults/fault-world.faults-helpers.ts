/// <reference types="mocha" />
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import type { Knex } from 'knex';
import { AmqpAllowanceTransport } from '@banca/adapters-amqp';
import type { AllowanceQueue, AllowanceTransport, JobLock, JobRunResult, Logger } from '@banca/domain/ports';
import { ServiceIds, type AllowanceWorker, type RunJobOptions } from '@banca/scheduler';
import type { AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { openTestProcess, type ProcessEnv } from '../e2e/banca-container.test-helpers';
import { closedPort } from '../e2e/jobs/jobs.test-helpers';

const run = promisify(execFile);

/** A seeded generator, so a failing run can be repeated with FAULTS_SEED. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function faultSeed(): number {
  const fromEnv = Number(process.env['FAULTS_SEED']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` gives a value; fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 120_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The PostgreSQL server URL a knex pool connects to (the test services' URL). */
export function serverUrlOf(knex: Knex): string {
  const connection = knex.client.config.connection as { connectionString?: string };
  if (!connection.connectionString) throw new Error('the pool has no connection string');
  return connection.connectionString;
}

export function uniqueLabel(base: string): string {
  return `${base}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ: only connections whose client-provided name carries the test prefix are ever closed.

/** Broker ids of the connections whose `connection_name` starts with `prefix`. */
export async function brokerConnectionsNamed(prefix: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['-q', '-t', '20', 'list_connections', 'pid', 'client_properties'], { timeout: 30_000 });
  return stdout
    .split('\n')
    .filter((line) => line.includes(`"connection_name","${prefix}`) || line.includes(`"${prefix}.`))
    .map((line) => line.split('\t')[0]!)
    .filter((pid) => pid.startsWith('<'));
}

/** Closes every broker connection of the test prefix; resolves with how many were closed. */
export async function closeBrokerConnections(prefix: string, reason: string): Promise<number> {
  const pids = await brokerConnectionsNamed(prefix);
  const closed = await Promise.all(
    pids.map((pid) =>
      run('rabbitmqctl', ['-q', 'close_connection', pid, reason], { timeout: 30_000 }).then(
        () => 1,
        () => 0,
      ),
    ),
  );
  return closed.reduce<number>((sum, n) => sum + n, 0);
}

export async function rabbitmqctlAvailable(): Promise<boolean> {
  try {
    await run('rabbitmqctl', ['-q', 'status'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: only backends carrying this test's application_name are ever terminated.

/** Terminates the backends of `applicationName`; resolves with how many were terminated. */
export async function terminateBackends(knex: Knex, applicationName: string, filter: 'all' | 'waiting' | 'active' = 'all'): Promise<number> {
  const condition = filter === 'waiting' ? "AND wait_event_type = 'Lock'" : filter === 'active' ? "AND state <> 'idle'" : '';
  const { rows } = await knex.raw<{ rows: Array<{ done: boolean }> }>(
    `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid() ${condition}`,
    [applicationName],
  );
  return rows.filter((row) => row.done).length;
}

/** Backends of the database waiting on a lock inside an allowance credit. */
export async function creditsWaitingOnLocks(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%allowance_credit_run%'",
  );
  return rows[0]!.n;
}

export async function backendsWaitingOnLocks(knex: Knex, applicationName: string): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'",
    [applicationName],
  );
  return rows[0]!.n;
}

// ---------------------------------------------------------------------------------------------
// Redis: a server of the test's own, which it may stop and start again.

export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** SIGKILLs the server (no goodbye to clients) and waits for it to be gone. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export async function ownRedisServer(): Promise<OwnRedis> {
  const port = await closedPort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== null;
    },
    async start() {
      if (child) return;
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      await waitFor(
        async () => {
          const probe = new Redis(own.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          probe.on('error', () => undefined);
          try {
            await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            return false;
          } finally {
            probe.disconnect();
          }
        },
        `redis-server on port ${port}`,
        20_000,
      );
    },
    async stop() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
      child = null;
    },
  };
  await own.start();
  return own;
}

// ---------------------------------------------------------------------------------------------
// Processes of an allowance world with a fault of the test's: the composition root's modules on the
// world's services and clock, the allowance queue or the job lock decorated, or a pool of their own.

export interface FaultProcess {
  runJob(name: string, options?: RunJobOptions): Promise<JobRunResult<object>>;
  close(): Promise<void>;
}

/** A producer process of the world whose allowance queue or job lock (or environment) the test changes. */
export function producerProcess(
  world: AllowanceWorld,
  options: { connectionName: string; env?: ProcessEnv; queue?: (inner: AllowanceQueue) => AllowanceQueue; lock?: (inner: JobLock) => JobLock },
): FaultProcess {
  const process = openTestProcess('cli', { ...world.env, ...options.env }, {
    clock: world.clock,
    logger: world.logger.withLayer('producer'),
    transport: (config, logger) => {
      const transport = namedTransport(world, config.allowance, logger, options.connectionName);
      return options.queue ? withPublisher(transport, options.queue(transport.publisher)) : transport;
    },
  });
  const decorate = options.lock;
  if (decorate) process.container.onActivation(ServiceIds.JobLock, (_context, inner) => decorate(inner));
  return {
    runJob: async (name, runOptions) => (await process.container.getAsync(ServiceIds.JobRunner)).runJob(name, runOptions),
    close: () => process.close(),
  };
}

export interface OwnWorker {
  readonly connectionName: string;
  readonly knex: Knex;
  readonly worker: AllowanceWorker;
  stop(): Promise<void>;
}

/**
 * A worker process on the world's queue, built as a worker process is, on a pool whose
 * application_name is `applicationName` and a broker connection named under the world's prefix.
 */
export async function ownWorker(world: AllowanceWorld, input: { applicationName: string; index: number; maxRetries: number; prefetch?: number }): Promise<OwnWorker> {
  const url = new URL(world.env['DATABASE_URL']!);
  url.searchParams.set('application_name', input.applicationName);
  const connectionName = `${world.broker.prefix}.own-worker.${input.index}`;
  const env: ProcessEnv = { ...world.env, DATABASE_URL: url.toString(), ALLOWANCE_MAX_RETRIES: String(input.maxRetries), ALLOWANCE_PREFETCH: String(input.prefetch ?? 10) };
  const process = openTestProcess('worker', env, {
    clock: world.clock,
    logger: world.logger.withLayer(`own-worker.${input.index}`),
    transport: (config, logger) => namedTransport(world, config.allowance, logger, connectionName),
  });
  const worker = await process.container.getAsync(ServiceIds.AllowanceWorker);
  await worker.start();
  return {
    connectionName,
    knex: (await process.container.getAsync(ServiceIds.Database)).knex,
    worker,
    async stop() {
      await worker.stop().catch(() => undefined);
      await process.close();
    },
  };
}

function namedTransport(world: AllowanceWorld, allowance: { queueName: string; retryDelayMs: number }, logger: Logger, connectionName: string): AmqpAllowanceTransport {
  return new AmqpAllowanceTransport({ url: world.broker.url, queueName: allowance.queueName, retryDelayMs: allowance.retryDelayMs, logger, connectionName });
}

/** The same transport, publishing through `publisher`. */
function withPublisher(transport: AmqpAllowanceTransport, publisher: AllowanceQueue): AllowanceTransport & { assertTopology(): Promise<void> } {
  return {
    kind: transport.kind,
    publisher,
    startConsuming: (handler, options) => transport.startConsuming(handler, options),
    stopConsuming: () => transport.stopConsuming(),
    depths: () => transport.depths(),
    consumeDeadLetters: (handler, options) => transport.consumeDeadLetters(handler, options),
    close: () => transport.close(),
    assertTopology: () => transport.assertTopology(),
  };
}

/** Message keys (`scheduleId:runAt` of a run) of every dead letter recorded in allowance_dead_letters. */
export async function deadLetterKeys(knex: Knex): Promise<Set<string>> {
  const { rows } = await knex.raw<{ rows: Array<{ message_key: string }> }>('SELECT message_key FROM allowance_dead_letters');
  return new Set(rows.map((row) => row.message_key));
}

/** Dead letters recorded and not replayed or purged. */
export async function openDeadLetterCount(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>("SELECT count(*)::int AS n FROM allowance_dead_letters WHERE status IN ('open', 'replaying')");
  return rows[0]!.n;
}

export async function creditCount(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM allowance_credits');
  return rows[0]!.n;
}
