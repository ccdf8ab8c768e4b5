import { randomUUID } from 'node:crypto';
import type { HeldLock, JobLock } from '@banca/domain/ports';

/**
 * JobLock for the embedded default (docs/architecture.md, Configuration): PGlite has a single session, where advisory locks are
 * re-entrant and so exclude nothing, and its data folder is opened by one process only. Every
 * contender is therefore in this process, and a map of owners is the whole lock. Like the advisory
 * lock, it lives with its holder (the process), so the TTL does not apply.
 */
export class InProcessJobLock implements JobLock {
  private readonly holders = new Map<string, string>();

  async tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock TTL must be a positive integer of milliseconds, got ${ttlMs}`);
    if (this.holders.has(name)) return null;
    const token = randomUUID();
    this.holders.set(name, token);
    return {
      name,
      token,
      release: async () => {
        if (this.holders.get(name) !== token) return false;
        this.holders.delete(name);
        return true;
      },
    };
  }
}
