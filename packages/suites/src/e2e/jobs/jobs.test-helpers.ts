import { createServer } from 'node:net';
import type { Knex } from 'knex';
import { createPostgresKnex, migrateToLatest, type PostgresRepositories } from '@banca/adapters-postgres';
import { nextCronRun, type JobName } from '@banca/domain';
import { memoryLogger, type HeldLock, type JobLock, type JobRunResult, type LogEntry } from '@banca/domain/ports';
import { ServiceIds, type JobPorts, type RunJobOptions } from '@banca/scheduler';
import { createTestRedis, createTestSchema, dropTestSchema, serviceUrl, type TestRedis, type TestSchema } from '@banca/test-support';
import { openTestProcess, type ProcessEnv } from '../banca-container.test-helpers';

/** Which lock an instance takes: Redis under a key prefix, the advisory lock under a namespace, or none at all. */
export type LockChoice = { kind: 'redis'; prefix: string; url?: string } | { kind: 'advisory'; namespace: string } | { kind: 'none' };

/** One scheduler instance, in effect: a process of its own (pool, lock client, log). */
export interface JobInstance {
  knex: Knex;
  ports: JobPorts;
  logs: LogEntry[];
  /** The lock as the ports see it; `rendezvous` makes two instances' attempts meet. */
  lock: RendezvousLock;
  run(name: string, options?: RunJobOptions): Promise<JobRunResult<object>>;
  /** Runs at a cron slot, as node-schedule would fire it at that instant. */
  runAt(name: JobName, now: Date): Promise<JobRunResult<object>>;
  /** Log entries with that action, in order. */
  logged(action: string): LogEntry[];
  close(): Promise<void>;
}

export interface InstanceOptions {
  lock?: LockChoice;
  /** Replaces repositories, e.g. a warm-up that cannot reach its server. */
  override?: (repositories: PostgresRepositories) => Partial<PostgresRepositories>;
  /** The pool's application_name (to find its backends) and statement timeout. */
  connection?: { applicationName?: string; statementTimeoutMs?: number };
  /** Wraps the instance's job lock, e.g. to stop its Redis once it is taken. */
  decorateLock?: (lock: JobLock) => JobLock;
}

/**
 * A migrated schema of its own on real PostgreSQL, a Redis key prefix of its own, and scheduler
 * instances: each a process the composition root builds from an environment of the world's (its
 * own pool and lock), so the jobs run exactly as in production. The lock each one takes is watched
 * by a rendezvous (to make races certain); an instance may replace a repository to inject a fault.
 */
export interface JobWorld {
  schema: TestSchema;
  redis: TestRedis;
  /** The pool fixtures and assertions use. */
  knex: Knex;
  /** A DATABASE_URL whose libpq `options` put the test schema first on the search_path. */
  databaseUrl: string;
  instance(options?: InstanceOptions): Promise<JobInstance>;
  cronRuns(job?: string): Promise<CronRunRow[]>;
  close(): Promise<void>;
}

export interface CronRunRow {
  id: string;
  job_name: string;
  status: string;
  processed_count: number;
  error_message: string | null;
}

export async function createJobWorld(label: string): Promise<JobWorld> {
  const schema = await createTestSchema(label);
  const redis = await createTestRedis(label);
  const knex = createPostgresKnex({ ...schema.connection, pool: { max: 4 } });
  await migrateToLatest(knex);
  const url = new URL(schema.connectionString);
  url.searchParams.set('options', `-c search_path=${schema.schema},public`);
  const databaseUrl = url.toString();
  const instances: JobInstance[] = [];

  return {
    schema,
    redis,
    knex,
    databaseUrl,
    async instance(options = {}) {
      const instance = await jobInstance(databaseUrl, options.lock ?? { kind: 'redis', prefix: redis.prefix }, options);
      instances.push(instance);
      return instance;
    },
    async cronRuns(job) {
      const query = knex('cron_runs').select('id', 'job_name', 'status', 'processed_count', 'error_message').orderBy('id');
      return (job ? query.where({ job_name: job }) : query) as Promise<CronRunRow[]>;
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.close()));
      await knex.destroy();
      await dropTestSchema(schema);
      await redis.cleanup();
    },
  };
}

async function jobInstance(databaseUrl: string, lock: LockChoice, options: InstanceOptions): Promise<JobInstance> {
  const url = new URL(databaseUrl);
  if (options.connection?.applicationName) url.searchParams.set('application_name', options.connection.applicationName);
  const env: ProcessEnv = {
    DATABASE_URL: url.toString(),
    DB_POOL_MAX: '4',
    ...(options.connection?.statementTimeoutMs ? { DB_STATEMENT_TIMEOUT_MS: String(options.connection.statementTimeoutMs) } : {}),
    ...(lock.kind === 'redis' ? { REDIS_URL: lock.url ?? (await serviceUrl('redis')), REDIS_KEY_PREFIX: lock.prefix } : {}),
    ...(lock.kind === 'advisory' ? { ADVISORY_LOCK_NAMESPACE: lock.namespace } : {}),
  };
  const logger = memoryLogger('test');
  const process = openTestProcess('cli', env, { logger });
  const { container } = process;
  if (lock.kind === 'none') container.rebind(ServiceIds.JobLock).toConstantValue(NO_LOCK);
  let watched: RendezvousLock | null = null;
  const decorate = options.decorateLock ?? ((inner: JobLock) => inner);
  container.onActivation(ServiceIds.JobLock, (_context, inner) => (watched = new RendezvousLock(decorate(inner))));
  const override = options.override;
  if (override) container.onActivation(ServiceIds.Repositories, (_context, repositories) => ({ ...repositories, ...override(repositories) }));
  const runner = await container.getAsync(ServiceIds.JobRunner);
  const ports = await container.getAsync(ServiceIds.JobPorts);
  const database = await container.getAsync(ServiceIds.Database);
  return {
    knex: database.knex,
    ports,
    logs: logger.entries,
    lock: watched!,
    run: (name, runOptions = {}) => runner.runJob(name, runOptions),
    runAt: (name, now) => runner.runJob(name, { trigger: 'schedule', now }),
    logged: (action) => logger.entries.filter((entry) => entry.action === action),
    close: () => process.close(),
  };
}

/** Every run gets the lock: for tests of what the database alone guards. */
const NO_LOCK: JobLock = { tryAcquire: (name) => Promise.resolve({ name, token: 'no-lock', release: () => Promise.resolve(true) }) };

/**
 * Two instances whose timers fire at the same instant both ask for the lock before either run
 * ends. A rendezvous makes that certain: each attempt waits, holding whatever it got, until every
 * party has asked. The real lock still decides who wins.
 */
export class RendezvousLock implements JobLock {
  private meeting: Rendezvous | null = null;

  constructor(private readonly inner: JobLock) {}

  meet(rendezvous: Rendezvous): void {
    this.meeting = rendezvous;
  }

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    const held = await this.inner.tryAcquire(name, ttlMs);
    const meeting = this.meeting;
    this.meeting = null;
    if (meeting) await meeting.arrive();
    return held;
  }
}

export interface Rendezvous {
  arrive(): Promise<void>;
}

export function rendezvous(parties: number): Rendezvous {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive() {
      arrived += 1;
      if (arrived === parties) open();
      return opened;
    },
  };
}

/** Runs the same job at the same instant on every instance, their lock attempts meeting. */
export function raceAt(instances: readonly JobInstance[], name: JobName, now: Date, trigger: 'schedule' | 'manual' = 'schedule') {
  const meeting = rendezvous(instances.length);
  for (const instance of instances) instance.lock.meet(meeting);
  return Promise.allSettled(instances.map((instance) => instance.run(name, { trigger, now })));
}

/** Every firing of the jobs' UTC rules in `[from, to)`, in time order (jobs of one instant in the order given). */
export function cronSlots(rules: ReadonlyArray<readonly [JobName, string]>, from: Date, to: Date): Array<{ job: JobName; at: Date }> {
  const slots: Array<{ job: JobName; at: Date; order: number }> = [];
  rules.forEach(([job, rule], order) => {
    for (let at = nextCronRun(rule, new Date(from.getTime() - 60_000)); at < to; at = nextCronRun(rule, at)) slots.push({ job, at, order });
  });
  return slots.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order).map(({ job, at }) => ({ job, at }));
}

/** A TCP port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The payload of a log entry, for assertions. */
export const payloadOf = (entry: LogEntry | undefined): Record<string, unknown> => {
  if (!entry) throw new Error('no such log entry');
  return { ...(entry.payload ?? {}) };
};

export const summaryOf = <T>(result: JobRunResult<object>): T => {
  if (result.status === 'FAILED') throw new Error(`${result.job} failed: ${result.error.message}`);
  if (!result.summary) throw new Error(`${result.job} has no summary: ${result.status}`);
  return result.summary as T;
};
