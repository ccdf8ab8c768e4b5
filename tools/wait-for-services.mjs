// Waits until PostgreSQL, RabbitMQ and Redis answer real protocol requests at the TEST_*_URL addresses.
// Usage: node tools/wait-for-services.mjs [seconds]   (exit 1 naming what never answered)
import pg from 'pg';
import amqp from 'amqplib';
import Redis from 'ioredis';

const deadline = Date.now() + Number(process.argv[2] ?? 120) * 1000;
const checks = {
  postgres: async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query('SELECT 1');
    } finally {
      await client.end();
    }
  },
  rabbitmq: async () => {
    const connection = await amqp.connect(process.env.TEST_RABBITMQ_URL, { timeout: 3000 });
    await connection.close();
  },
  redis: async () => {
    const client = new Redis(process.env.TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  },
};

let failed = false;
for (const [name, check] of Object.entries(checks)) {
  let lastError;
  for (;;) {
    try {
      await check();
      console.log(`${name}: ready`);
      break;
    } catch (error) {
      lastError = error;
      if (Date.now() > deadline) {
        console.error(`${name}: not answering (${lastError?.message ?? lastError})`);
        failed = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
process.exit(failed ? 1 : 0);
