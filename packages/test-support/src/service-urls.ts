/**
 * Where integration tests find PostgreSQL, RabbitMQ and Redis (docs/architecture.md, Tests): the TEST_*_URL variable
 * when set; else a container started by Testcontainers (when Docker is there); else a failure that
 * says what to set. Containers live as long as the test process; Testcontainers' reaper removes them.
 */
export type ServiceName = 'postgres' | 'rabbitmq' | 'redis';

interface ServiceSpec {
  env: string;
  example: string;
  start(): Promise<string>;
}

const SPECS: Record<ServiceName, ServiceSpec> = {
  postgres: {
    env: 'TEST_DATABASE_URL',
    example: 'postgres://postgres@127.0.0.1:5432/test',
    async start() {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      return container.getConnectionUri();
    },
  },
  rabbitmq: {
    env: 'TEST_RABBITMQ_URL',
    example: 'amqp://guest:guest@127.0.0.1:5672',
    async start() {
      const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
      const container = await new RabbitMQContainer('rabbitmq:3.13-alpine').start();
      return container.getAmqpUrl();
    },
  },
  redis: {
    env: 'TEST_REDIS_URL',
    example: 'redis://127.0.0.1:6379',
    async start() {
      const { RedisContainer } = await import('@testcontainers/redis');
      const container = await new RedisContainer('redis:7-alpine').start();
      return container.getConnectionUrl();
    },
  },
};

const resolved = new Map<ServiceName, Promise<string>>();

/** The URL of a real service for this test process; the same one for every test in it. */
export function serviceUrl(name: ServiceName): Promise<string> {
  let url = resolved.get(name);
  if (!url) {
    url = resolve(name);
    resolved.set(name, url);
  }
  return url;
}

async function resolve(name: ServiceName): Promise<string> {
  return resolveServiceUrl(name, process.env, SPECS[name].start);
}

/** The resolution rule itself, with the environment and the container start passed in. */
export async function resolveServiceUrl(
  name: ServiceName,
  env: Readonly<Record<string, string | undefined>>,
  startContainer: () => Promise<string>,
): Promise<string> {
  const spec = SPECS[name];
  const fromEnv = env[spec.env]?.trim();
  if (fromEnv) return fromEnv;
  try {
    return await startContainer();
  } catch (error) {
    const said = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `No ${name} for integration tests: set ${spec.env} (for example ${spec.env}=${spec.example}) ` +
        `or make a Docker engine available to Testcontainers (it said: ${said})`,
      { cause: error },
    );
  }
}

/** A short random suffix that keeps names of parallel or repeated runs apart. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
