import type { Clock } from '../kernel/clock.port';
import { crDayRange, toCRDateString } from '../time/cr-time';
import type { SorteoRepository } from './sorteos.ports';

export interface AutoOpenSummary {
  openedCount: number;
  /** Always 0: opening is one guarded statement, and a storage failure fails the whole run. */
  errorsCount: number;
  executedAt: string;
  /** The original system's flag, kept so existing alerts keep matching: a completed run. */
  success: true;
}

/** Opens today's (CR date) SCHEDULED sorteos of lotteries with auto-open (docs/architecture.md, The banca rules). */
export async function autoOpenSorteos(deps: { sorteos: SorteoRepository; clock: Clock }): Promise<AutoOpenSummary> {
  const now = deps.clock.now();
  const openedCount = await deps.sorteos.openScheduledBetween(crDayRange(toCRDateString(now)));
  return { openedCount, errorsCount: 0, executedAt: now.toISOString(), success: true };
}
