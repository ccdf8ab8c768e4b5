import type { Clock } from '../../kernel/clock.port';
import { memoryLogger } from '../../kernel/logger.port';
import { InMemoryAllowance } from './in-memory-allowance';

/** 08:00 in Costa Rica. */
export const T0 = new Date('2025-03-03T14:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const later = (ms: number): Date => new Date(T0.getTime() + ms);

/** In-memory ports, a clock the test moves, a logger it reads. */
export function allowanceWorld(balance = '100.00') {
  const store = new InMemoryAllowance();
  let now = T0;
  const clock: Clock & { set(instant: Date): void } = { now: () => new Date(now.getTime()), set: (instant) => (now = instant) };
  const logger = memoryLogger('job');
  const guardianId = store.givenGuardian({ balance });
  const juniorId = store.givenJunior({ guardianId });
  const deps = { schedules: store.schedules, ledger: store.ledger, queue: store.queue, clock, logger };
  return { store, clock, logger, guardianId, juniorId, deps };
}
