import * as amqp from 'amqplib';
import Redis from 'ioredis';
import type { Knex } from 'knex';
import { allowanceTopologyNames, AmqpAllowanceTransport, type AllowanceTopologyNames } from '@banca/adapters-amqp';
import { createMigratedSchema, type DeadLetterRow as PostgresDeadLetterRow, type MigratedDatabase } from '@banca/adapters-postgres/testing';
import { type AllowanceFrequency, type AllowanceStatus } from '@banca/domain';
import {
  memoryLogger,
  type AllowanceQueueDepths,
  type AllowanceTransport,
  type Clock,
  type DeadLetterHandler,
  type DeliveryDisposition,
  type DeliveryHandler,
  type JobRunResult,
  type LogEntry,
  type Logger,
} from '@banca/domain/ports';
import { signToken } from '@banca/http-koa';
import { ServiceIds, type AllowanceWorker, type BancaMetrics, type JobSettings, type RunJobOptions } from '@banca/scheduler';
import { createTestBroker, createTestRedis, type TestBroker, type TestRedis } from '@banca/test-support';
import { openTestProcess, type ProcessEnv, type TestProcess } from '../banca-container.test-helpers';

export const TEST_AUTH_SECRET = 'e2e-allowance-secret-of-at-least-32-characters';

/** A clock that runs with the system's but can be moved forward, shared by the API, the producer and the workers. */
export interface MovableClock extends Clock {
  advance(ms: number): void;
}

export function movableClock(): MovableClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms) {
      offsetMs += ms;
    },
  };
}

/** One delivery as a worker settled it. */
export interface SettledDelivery {
  worker: number;
  messageId: string | null;
  rawBody: string;
  previousAttempts: number;
  disposition: DeliveryDisposition;
}

export interface AllowanceWorldOptions {
  label: string;
  /** Worker instances, each with its own RabbitMQ connection and database pool. Default 1. */
  workers?: number;
  /** ALLOWANCE_MAX_RETRIES. Default 3. */
  maxRetries?: number;
  /** ALLOWANCE_RETRY_DELAY_MS. Default 150. */
  retryDelayMs?: number;
  /** ALLOWANCE_MISSED_RUNS. Default 'all'. */
  missedRuns?: 'all' | 'latest';
  /** ALLOWANCE_PREFETCH. Default 10. */
  prefetch?: number;
  /** ALLOWANCE_LEASE_MS. Default 10 minutes. */
  leaseMs?: number;
  /** Start the workers with the world. Default true. */
  startWorkers?: boolean;
}

/** A worker process of the world: its own container, connection and pool. */
export interface WorldWorker {
  readonly index: number;
  readonly connectionName: string;
  readonly worker: AllowanceWorker;
  readonly transport: AmqpAllowanceTransport;
  readonly metrics: BancaMetrics;
  readonly process: TestProcess;
}

export interface NewSchedule {
  guardianId: string;
  juniorId: string;
  amount: string;
  frequency: AllowanceFrequency;
  anchorAt: Date;
  /** Default anchorAt. */
  nextRunAt?: Date;
  status?: AllowanceStatus;
}

export interface ScheduleRow {
  id: string;
  amount: string;
  status: AllowanceStatus;
  anchor_at: Date;
  next_run_at: Date;
  last_run_at: Date | null;
  lease_until: Date | null;
  leased_through: Date | null;
  last_failed_run_at: Date | null;
  last_failure_at: Date | null;
  last_failure_reason: string | null;
}

/** A row of allowance_dead_letters as a test reads it: the adapter's row, without the replay and purge times. */
export type DeadLetterRow = Omit<PostgresDeadLetterRow, 'dead_lettered_at' | 'recorded_at' | 'replay_claimed_at' | 'replayed_at' | 'purged_at'>;

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/**
 * The whole allowance pipeline on real services: a migrated PostgreSQL schema of its own, a queue
 * topology under a unique RabbitMQ prefix, a Redis key prefix for the producer's lock; an `api`
 * process (the guardian and admin HTTP API on 127.0.0.1, and the producer through its job runner)
 * and N `worker` processes, each built by the composition root from the world's environment, with
 * the world's movable clock and a transport of its own (a named connection, recording deliveries).
 */
export interface AllowanceWorld {
  readonly knex: Knex;
  readonly clock: MovableClock;
  readonly logger: Logger & { entries: LogEntry[] };
  readonly names: AllowanceTopologyNames;
  readonly broker: TestBroker;
  readonly redis: TestRedis;
  readonly redisClient: Redis;
  /** The producer and API process's transport. */
  readonly transport: AmqpAllowanceTransport;
  readonly workers: readonly WorldWorker[];
  /** Every delivery settled by any worker, in the order they were settled. */
  readonly settled: SettledDelivery[];
  readonly baseUrl: string;
  readonly settings: JobSettings;
  readonly options: Required<AllowanceWorldOptions>;
  /** The PostgreSQL search_path option that selects this world's schema. */
  readonly searchPathOption: string;
  readonly lockKey: string;
  /** The environment the world's processes are configured from. */
  readonly env: ProcessEnv;

  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  guardianToken(guardianId: string): string;
  adminToken(): string;
  http(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<HttpAnswer>;

  givenGuardian(balance: string): Promise<string>;
  givenJunior(guardianId: string, balance?: string): Promise<string>;
  /** Money put into an account from outside the allowance (a top-up): part of its opening balance. */
  deposit(ownerId: string, amount: string): Promise<void>;
  givenSchedule(schedule: NewSchedule): Promise<string>;
  /** `count` juniors spread over `guardians` guardians, each with a schedule due at `anchorAt`. */
  givenManySchedules(input: { guardians: number; juniors: number; guardianBalance: string; amount: string; frequency: AllowanceFrequency; anchorAt: Date }): Promise<string[]>;

  runProducer(options?: RunJobOptions): Promise<JobRunResult<object>>;
  /** Publishes a body as it is, to the main queue or straight to the DLQ. */
  publishRaw(body: string, options?: { messageId?: string; to?: 'queue' | 'dlq' }): Promise<void>;
  depths(): Promise<AllowanceQueueDepths>;
  /** The rows of allowance_dead_letters, in the order they were recorded. */
  deadLetters(): Promise<DeadLetterRow[]>;

  balanceOf(ownerId: string): Promise<string>;
  creditsOf(scheduleId: string): Promise<Array<{ runAt: Date; amount: string }>>;
  creditCount(): Promise<number>;
  schedule(id: string): Promise<ScheduleRow>;
  logged(action: string): LogEntry[];
  close(): Promise<void>;
}

type Rows<T> = { rows: T[] };

/** Polls until `probe` gives something other than undefined or false; fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

/** Registers an afterEach in the calling describe that closes every world created through it. */
export function useAllowanceWorlds(): { create(options: AllowanceWorldOptions): Promise<AllowanceWorld> } {
  const open: AllowanceWorld[] = [];
  afterEach(async function () {
    this.timeout(60_000);
    const closing = open.splice(0);
    for (const world of closing) await world.close();
  });
  return {
    async create(options) {
      const world = await createAllowanceWorld(options);
      open.push(world);
      return world;
    },
  };
}

export async function createAllowanceWorld(input: AllowanceWorldOptions): Promise<AllowanceWorld> {
  const options: Required<AllowanceWorldOptions> = {
    workers: 1,
    maxRetries: 3,
    retryDelayMs: 150,
    missedRuns: 'all',
    prefetch: 10,
    leaseMs: 10 * 60_000,
    startWorkers: true,
    ...input,
  };
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const database: MigratedDatabase = await createMigratedSchema(`e2e_${options.label}`);
    closers.push(() => database.close());
    const knex = database.knex;
    await knex.raw(`CREATE TABLE e2e_deposits (
      account_id uuid NOT NULL REFERENCES accounts (id),
      amount numeric(14,2) NOT NULL CHECK (amount >= 0)
    )`);
    const { rows: schemaRows } = await knex.raw<Rows<{ schema: string }>>('SELECT current_schema() AS schema');
    const searchPathOption = `-c search_path="${schemaRows[0]!.schema}",public`;

    const broker = await createTestBroker(`e2e.${options.label}`);
    closers.push(() => broker.cleanup());
    const queueName = broker.name('allowance.schedule');
    const names = allowanceTopologyNames(queueName);
    broker.track(...Object.values(names));

    const redis = await createTestRedis(`e2e:${options.label}`);
    closers.push(() => redis.cleanup());
    const redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redisClient.connect();
    closers.push(async () => {
      await redisClient.quit().catch(() => redisClient.disconnect());
    });

    const env: ProcessEnv = {
      DATABASE_URL: database.url!,
      RABBITMQ_URL: broker.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      ALLOWANCE_QUEUE_NAME: queueName,
      ALLOWANCE_MAX_RETRIES: String(options.maxRetries),
      ALLOWANCE_RETRY_DELAY_MS: String(options.retryDelayMs),
      ALLOWANCE_MISSED_RUNS: options.missedRuns,
      ALLOWANCE_PREFETCH: String(options.prefetch),
      ALLOWANCE_LEASE_MS: String(options.leaseMs),
      AUTH_JWT_SECRET: TEST_AUTH_SECRET,
      PORT: '0',
      DB_POOL_MAX: '4',
    };
    const clock = movableClock();
    const logger = memoryLogger('e2e');
    const named = (connectionName: string) => (config: { allowance: { queueName: string; retryDelayMs: number } }, processLogger: Logger) =>
      new AmqpAllowanceTransport({ url: broker.url, queueName: config.allowance.queueName, retryDelayMs: config.allowance.retryDelayMs, logger: processLogger, connectionName });

    const api = openTestProcess('api', env, { clock, logger, transport: (config, processLogger) => named(`${broker.prefix}.producer`)(config, processLogger.withLayer('amqp')) });
    closers.push(() => api.close());
    const transport = (await api.container.getAsync(ServiceIds.Transport)) as AmqpAllowanceTransport;
    const settings = api.container.get(ServiceIds.JobSettings);
    const runner = await api.container.getAsync(ServiceIds.JobRunner);
    const runProducer = (runOptions: RunJobOptions = {}) => runner.runJob('allowance.enqueue', runOptions);
    const httpServer = await api.container.getAsync(ServiceIds.HttpServer);
    const port = await httpServer.start();
    closers.push(() => httpServer.stop(1000));
    const baseUrl = `http://127.0.0.1:${port}`;

    const settled: SettledDelivery[] = [];
    const workers: WorldWorker[] = [];
    for (let index = 0; index < options.workers; index++) {
      const connectionName = `${broker.prefix}.worker.${index}`;
      let workerTransport: AmqpAllowanceTransport | null = null;
      const workerProcess = openTestProcess('worker', env, {
        clock,
        logger: logger.withLayer(`worker.${index}`),
        transport: (config, processLogger) => {
          workerTransport = named(connectionName)(config, processLogger);
          return new RecordingTransport(workerTransport, index, (delivery) => settled.push(delivery));
        },
      });
      closers.push(() => workerProcess.close());
      const worker = await workerProcess.container.getAsync(ServiceIds.AllowanceWorker);
      closers.push(() => worker.stop());
      const metrics = await workerProcess.container.getAsync(ServiceIds.Metrics);
      workers.push({ index, connectionName, worker, transport: workerTransport!, metrics, process: workerProcess });
    }

    const startWorkers = async () => {
      for (const { worker } of workers) await worker.start();
    };
    const stopWorkers = async () => {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
    };
    if (options.startWorkers) await startWorkers();

    const world: AllowanceWorld = {
      knex,
      clock,
      logger,
      names,
      broker,
      redis,
      redisClient,
      transport,
      workers,
      settled,
      baseUrl,
      settings,
      options,
      searchPathOption,
      lockKey: `${redis.prefix}lock:allowance.enqueue`,
      env,
      startWorkers,
      stopWorkers,
      guardianToken: (guardianId) => signToken({ sub: guardianId, role: 'guardian' }, TEST_AUTH_SECRET),
      adminToken: () => signToken({ sub: 'e2e-admin', role: 'admin' }, TEST_AUTH_SECRET),
      async http(method, path, request = {}) {
        const headers: Record<string, string> = {};
        if (request.token) headers['authorization'] = `Bearer ${request.token}`;
        if (request.body !== undefined) headers['content-type'] = 'application/json';
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
      },
      givenGuardian: (balance) => givenGuardian(knex, balance),
      givenJunior: (guardianId, balance = '0.00') => givenJunior(knex, guardianId, balance),
      deposit: (ownerId, amount) => deposit(knex, ownerId, amount),
      givenSchedule: (schedule) => givenSchedule(knex, schedule),
      givenManySchedules: (many) => givenManySchedules(knex, many),
      runProducer,
      async publishRaw(body, publishOptions = {}) {
        const connection = await amqp.connect(broker.url);
        try {
          const channel = await connection.createConfirmChannel();
          const properties = { persistent: true, ...(publishOptions.messageId === undefined ? {} : { messageId: publishOptions.messageId }) };
          if (publishOptions.to === 'dlq') channel.publish(names.dlqExchange, names.queue, Buffer.from(body), properties);
          else channel.sendToQueue(names.queue, Buffer.from(body), properties);
          await channel.waitForConfirms();
        } finally {
          await connection.close();
        }
      },
      depths: () => transport.depths(),
      async deadLetters() {
        const { rows } = await knex.raw<Rows<DeadLetterRow>>(
          `SELECT id, message_key, message_id, schedule_id, run_at, reason_code, reason, attempts, raw_body, trace_context, status,
                  replay_request_id, replayed_by, purged_by, purge_reason
           FROM allowance_dead_letters ORDER BY seq`,
        );
        return rows;
      },
      balanceOf: (ownerId) => balanceOf(knex, ownerId),
      async creditsOf(scheduleId) {
        const { rows } = await knex.raw<Rows<{ run_at: Date; amount: string }>>('SELECT run_at, amount FROM allowance_credits WHERE schedule_id = ? ORDER BY run_at', [scheduleId]);
        return rows.map((row) => ({ runAt: row.run_at, amount: row.amount }));
      },
      async creditCount() {
        const { rows } = await knex.raw<Rows<{ count: number }>>('SELECT count(*)::int AS count FROM allowance_credits');
        return rows[0]!.count;
      },
      async schedule(id) {
        const { rows } = await knex.raw<Rows<ScheduleRow>>(
          `SELECT id, amount, status, anchor_at, next_run_at, last_run_at, lease_until, leased_through, last_failed_run_at, last_failure_at, last_failure_reason
           FROM allowance_schedules WHERE id = ?`,
          [id],
        );
        if (!rows[0]) throw new Error(`no schedule ${id}`);
        return rows[0];
      },
      logged: (action) => logger.entries.filter((entry) => entry.action === action),
      close: closeAll,
    };
    return world;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The worker's transport, recording how each delivery was settled. */
class RecordingTransport implements AllowanceTransport {
  readonly kind = 'rabbitmq' as const;

  constructor(
    private readonly inner: AmqpAllowanceTransport,
    private readonly worker: number,
    private readonly record: (delivery: SettledDelivery) => void,
  ) {}

  get publisher() {
    return this.inner.publisher;
  }

  startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void> {
    return this.inner.startConsuming(async (delivery) => {
      const seen = { worker: this.worker, messageId: delivery.messageId, rawBody: delivery.rawBody, previousAttempts: delivery.previousAttempts };
      try {
        const disposition = await handler(delivery);
        this.record({ ...seen, disposition });
        return disposition;
      } catch (error) {
        this.record({ ...seen, disposition: { action: 'retry', reason: error instanceof Error ? error.message : String(error) } });
        throw error;
      }
    }, options);
  }

  stopConsuming(): Promise<void> {
    return this.inner.stopConsuming();
  }

  depths(): Promise<AllowanceQueueDepths> {
    return this.inner.depths();
  }

  consumeDeadLetters(handler: DeadLetterHandler, options: { prefetch: number }): Promise<void> {
    return this.inner.consumeDeadLetters(handler, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

async function givenGuardian(knex: Knex, balance: string): Promise<string> {
  const { rows } = await knex.raw<Rows<{ guardian_id: string }>>(
    `WITH guardian AS (INSERT INTO guardians (name) VALUES ('Guardian') RETURNING id),
          account AS (INSERT INTO accounts (guardian_id, balance) SELECT id, ?::numeric FROM guardian RETURNING id, guardian_id, balance),
          opening AS (INSERT INTO e2e_deposits (account_id, amount) SELECT id, balance FROM account)
     SELECT guardian_id FROM account`,
    [balance],
  );
  return rows[0]!.guardian_id;
}

async function givenJunior(knex: Knex, guardianId: string, balance: string): Promise<string> {
  const { rows } = await knex.raw<Rows<{ junior_id: string }>>(
    `WITH junior AS (INSERT INTO juniors (guardian_id, name) VALUES (?, 'Junior') RETURNING id),
          account AS (INSERT INTO accounts (junior_id, balance) SELECT id, ?::numeric FROM junior RETURNING id, junior_id, balance),
          opening AS (INSERT INTO e2e_deposits (account_id, amount) SELECT id, balance FROM account)
     SELECT junior_id FROM account`,
    [guardianId, balance],
  );
  return rows[0]!.junior_id;
}

async function deposit(knex: Knex, ownerId: string, amount: string): Promise<void> {
  const { rows } = await knex.raw<Rows<unknown>>(
    `WITH account AS (
       UPDATE accounts SET balance = balance + ?::numeric, updated_at = now()
       WHERE guardian_id = ? OR junior_id = ? RETURNING id
     )
     INSERT INTO e2e_deposits (account_id, amount) SELECT id, ?::numeric FROM account RETURNING account_id`,
    [amount, ownerId, ownerId, amount],
  );
  if (rows.length !== 1) throw new Error(`no account for ${ownerId}`);
}

async function givenSchedule(knex: Knex, schedule: NewSchedule): Promise<string> {
  const { rows } = await knex.raw<Rows<{ id: string }>>(
    `INSERT INTO allowance_schedules (guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at)
     VALUES (?, ?, ?::numeric, ?, ?, ?, ?) RETURNING id`,
    [schedule.guardianId, schedule.juniorId, schedule.amount, schedule.frequency, schedule.status ?? 'ON', schedule.anchorAt, schedule.nextRunAt ?? schedule.anchorAt],
  );
  return rows[0]!.id;
}

async function givenManySchedules(
  knex: Knex,
  input: { guardians: number; juniors: number; guardianBalance: string; amount: string; frequency: AllowanceFrequency; anchorAt: Date },
): Promise<string[]> {
  return knex.transaction(async (trx) => {
    const { rows: guardians } = await trx.raw<Rows<{ id: string }>>(
      "INSERT INTO guardians (name) SELECT 'Guardian ' || i FROM generate_series(1, ?) AS i RETURNING id",
      [input.guardians],
    );
    const guardianIds = guardians.map((row) => row.id);
    await trx.raw('INSERT INTO accounts (guardian_id, balance) SELECT id, ?::numeric FROM unnest(?::uuid[]) AS id', [input.guardianBalance, guardianIds]);
    await trx.raw(
      `INSERT INTO juniors (guardian_id, name)
       SELECT (?::uuid[])[1 + (i % ?)], 'Junior ' || i FROM generate_series(0, ? - 1) AS i`,
      [guardianIds, guardianIds.length, input.juniors],
    );
    await trx.raw("INSERT INTO accounts (junior_id, balance) SELECT id, 0 FROM juniors WHERE guardian_id = ANY(?::uuid[])", [guardianIds]);
    await trx.raw(
      `INSERT INTO e2e_deposits (account_id, amount)
       SELECT a.id, a.balance FROM accounts AS a
       LEFT JOIN juniors AS j ON j.id = a.junior_id
       WHERE a.guardian_id = ANY(?::uuid[]) OR j.guardian_id = ANY(?::uuid[])`,
      [guardianIds, guardianIds],
    );
    const { rows } = await trx.raw<Rows<{ id: string }>>(
      `INSERT INTO allowance_schedules (guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at)
       SELECT guardian_id, id, ?::numeric, ?, 'ON', ?, ? FROM juniors WHERE guardian_id = ANY(?::uuid[])
       RETURNING id`,
      [input.amount, input.frequency, input.anchorAt, input.anchorAt, guardianIds],
    );
    return rows.map((row) => row.id);
  });
}

async function balanceOf(knex: Knex, ownerId: string): Promise<string> {
  const { rows } = await knex.raw<Rows<{ balance: string }>>('SELECT balance FROM accounts WHERE guardian_id = ? OR junior_id = ?', [ownerId, ownerId]);
  if (!rows[0]) throw new Error(`no account for ${ownerId}`);
  return rows[0].balance;
}
