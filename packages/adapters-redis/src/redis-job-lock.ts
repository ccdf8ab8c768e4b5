import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { HeldLock, JobLock } from '@banca/domain/ports';

/** Deletes the key only while it still holds the caller's token: a lock that expired and was taken by another owner stays theirs. */
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** JobLock on Redis: `SET key token NX PX ttl` to take, compare-and-delete in Lua to release (docs/architecture.md, Running the jobs). */
export class RedisJobLock implements JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'banca:lock:',
  ) {}

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock TTL must be a positive integer of milliseconds, got ${ttlMs}`);
    const key = `${this.keyPrefix}${name}`;
    const token = randomUUID();
    const taken = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return null;
    return {
      name,
      token,
      release: async () => (await this.redis.eval(RELEASE_IF_OWNER, 1, key, token)) === 1,
    };
  }
}
