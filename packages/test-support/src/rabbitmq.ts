import * as amqp from 'amqplib';
import { serviceUrl, uniqueSuffix } from './service-urls';

/**
 * RabbitMQ names of one's own: every queue and exchange a test declares through `name()` carries
 * a unique prefix and is deleted by `cleanup()`, so tests need no vhost and can run twice.
 */
export interface TestBroker {
  readonly url: string;
  readonly prefix: string;
  name(base: string): string;
  /** Records names derived from `name()` (e.g. a queue's retry and DLQ) so cleanup deletes them too. */
  track(...fullNames: string[]): void;
  cleanup(): Promise<void>;
}

export async function createTestBroker(label = 'test'): Promise<TestBroker> {
  const url = await serviceUrl('rabbitmq');
  const prefix = `t.${label}.${uniqueSuffix()}`;
  const names = new Set<string>();
  return {
    url,
    prefix,
    name(base) {
      const full = `${prefix}.${base}`;
      names.add(full);
      return full;
    },
    track(...fullNames) {
      for (const full of fullNames) {
        if (!full.startsWith(`${prefix}.`)) throw new Error(`${full} is outside the test prefix ${prefix}`);
        names.add(full);
      }
    },
    async cleanup() {
      const connection = await amqp.connect(url);
      try {
        const channel = await connection.createChannel();
        // RabbitMQ deletes are idempotent: a name used only as a queue or only as an exchange is fine.
        for (const name of names) {
          await channel.deleteQueue(name);
          await channel.deleteExchange(name);
        }
        await channel.close();
      } finally {
        await connection.close();
      }
    },
  };
}

/** Registers mocha hooks in the calling `describe`: a fresh prefix before, its names deleted after. */
export function useTestBroker(label?: string): { readonly current: TestBroker } {
  let current: TestBroker | undefined;
  before(async () => {
    current = await createTestBroker(label);
  });
  after(async () => {
    if (current) await current.cleanup();
  });
  return {
    get current(): TestBroker {
      if (!current) throw new Error('the test broker exists only inside hooks and tests of its describe');
      return current;
    },
  };
}
