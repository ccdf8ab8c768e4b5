import Redis from 'ioredis';
import { serviceUrl, uniqueSuffix } from './service-urls';

/** A Redis key prefix of one's own; `cleanup()` deletes every key under it. */
export interface TestRedis {
  readonly url: string;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

export async function createTestRedis(label = 'test'): Promise<TestRedis> {
  const url = await serviceUrl('redis');
  const prefix = `t:${label}:${uniqueSuffix()}:`;
  return {
    url,
    prefix,
    async cleanup() {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length) await client.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        client.disconnect();
      }
    },
  };
}

/** Registers mocha hooks in the calling `describe`: a fresh prefix before, its keys deleted after. */
export function useTestRedis(label?: string): { readonly current: TestRedis } {
  let current: TestRedis | undefined;
  before(async () => {
    current = await createTestRedis(label);
  });
  after(async () => {
    if (current) await current.cleanup();
  });
  return {
    get current(): TestRedis {
      if (!current) throw new Error('the test Redis prefix exists only inside hooks and tests of its describe');
      return current;
    },
  };
}
