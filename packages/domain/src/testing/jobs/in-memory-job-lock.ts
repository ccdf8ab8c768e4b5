import type { HeldLock, JobLock } from '../../kernel/job-lock.port';

/** The reference JobLock: owner tokens and TTLs in a map, time from `now()`. */
export class InMemoryJobLock implements JobLock {
  private readonly holders = new Map<string, { token: string; expiresAt: number }>();
  private nextToken = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock TTL must be a positive integer of milliseconds, got ${ttlMs}`);
    const current = this.holders.get(name);
    if (current && current.expiresAt > this.now()) return null;
    const token = `token-${++this.nextToken}`;
    this.holders.set(name, { token, expiresAt: this.now() + ttlMs });
    return {
      name,
      token,
      release: async () => {
        const holder = this.holders.get(name);
        if (holder?.token !== token || holder.expiresAt <= this.now()) return false;
        this.holders.delete(name);
        return true;
      },
    };
  }
}
