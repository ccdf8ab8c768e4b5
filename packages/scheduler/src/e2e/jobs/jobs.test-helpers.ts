import { createServer } from 'node:net';
import type { Knex } from 'knex';
import Redis from 'ioredis';
import {
  createPostgresKnex,
  migrateToLatest,
  PgAdvisoryJobLock,
  type PostgresConnectionOptions,
} from '@banca/adapters-postgres';
import { RedisJobLock } from '@banca/adapters-redis';
import {
  createActiveOperations,
  memoryLogger,
  nextCronRun,
  systemClock,
  type HeldLock,
  type JobLock,
  type JobName,
  type JobRunResult,
  type LogEntry,
  type Logger,
} from '@banca/domain';
import { createTestRedis, createTestSchema, dropTestSchema, serviceUrl, type TestRedis, type TestSchema } from '@banca/test-support';
import type { JobPorts, JobSettings } from '../../jobs/job-ports';
import { knexPorts } from '../../composition/infrastructure';
import { runJobWith, type RunJobOptions } from '../../jobs/run-job';

export const JOB_SETTINGS: JobSettings = { activityLogRetentionDays: 45, allowance: { leaseMs: 60_000, missedRuns: 'all' } };

/** Which lock an instance takes: Redis under a key prefix, the advisory lock under a namespace, or none at all. */
export type LockChoice = { kind: 'redis'; prefix: string } | { kind: 'advisory'; namespace: string } | { kind: 'none' };

/** One scheduler instance, in effect: its own pool, lock client and log. */
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
}

export interface InstanceOptions {
  lock?: LockChoice;
  /** Replaces ports, e.g. a warm-up that cannot reach its server. */
  override?: (ports: JobPorts, knex: Knex) => Partial<JobPorts>;
  connection?: Partial<PostgresConnectionOptions>;
}

/**
 * A migrated schema of its own on real PostgreSQL, a Redis key prefix of its own, and scheduler
 * instances built from the same adapters the composition root uses, each on its own pool.
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
  const pools: Knex[] = [knex];
  const clients: Redis[] = [];
  await migrateToLatest(knex);
  const url = new URL(schema.connectionString);
  url.searchParams.set('options', `-c search_path=${schema.schema},public`);

  return {
    schema,
    redis,
    knex,
    databaseUrl: url.toString(),
    async instance(options = {}) {
      const own = createPostgresKnex({ ...schema.connection, pool: { max: 4 }, ...options.connection });
      pools.push(own);
      const inner = await lockOf(options.lock ?? { kind: 'redis', prefix: redis.prefix }, own, clients);
      const lock = new RendezvousLock(inner);
      const logger = memoryLogger('test');
      const ports = jobPorts(own, lock, logger.withLayer('job'));
      Object.assign(ports, options.override?.(ports, own) ?? {});
      return {
        knex: own,
        ports,
        logs: logger.entries,
        lock,
        run: (name, runOptions = {}) => runJobWith(ports, JOB_SETTINGS, name, runOptions),
        runAt: (name, now) => runJobWith(ports, JOB_SETTINGS, name, { trigger: 'schedule', now }),
        logged: (action) => logger.entries.filter((entry) => entry.action === action),
      };
    },
    async cronRuns(job) {
      const query = knex('cron_runs').select('id', 'job_name', 'status', 'processed_count', 'error_message').orderBy('id');
      return (job ? query.where({ job_name: job }) : query) as Promise<CronRunRow[]>;
    },
    async close() {
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
      await Promise.all(pools.map((pool) => pool.destroy()));
      await dropTestSchema(schema);
      await redis.cleanup();
    },
  };
}

/** The job ports of the composition root (createInfrastructure), over one pool and lock. */
function jobPorts(knex: Knex, jobLock: JobLock, logger: Logger): JobPorts {
  return knexPorts(knex, {
    clock: systemClock,
    logger,
    jobLock,
    activeOperations: createActiveOperations(),
    allowanceQueue: { publish: () => Promise.reject(new Error('the allowance queue is not part of these tests')) },
  }).jobPorts;
}

async function lockOf(choice: LockChoice, knex: Knex, clients: Redis[]): Promise<JobLock> {
  switch (choice.kind) {
    case 'redis': {
      const client = new Redis(await serviceUrl('redis'), { lazyConnect: true, maxRetriesPerRequest: 2 });
      await client.connect();
      clients.push(client);
      return new RedisJobLock(client, choice.prefix);
    }
    case 'advisory':
      return new PgAdvisoryJobLock(knex, choice.namespace);
    case 'none':
      return { tryAcquire: (name) => Promise.resolve({ name, token: 'no-lock', release: () => Promise.resolve(true) }) };
  }
}

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
