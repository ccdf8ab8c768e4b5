import type { Clock } from '../kernel/clock.port';
import { toInstant } from '../time/cr-time';
import type { SorteoRepository } from './sorteos.ports';

export interface AutoCloseSummary {
  closedCount: number;
  /** Always 0: closing is one guarded statement, and a storage failure fails the whole run. */
  errorsCount: number;
  executedAt: string;
  /** The original system's flag, kept so existing alerts keep matching: a completed run. */
  success: true;
}

/** Closes past OPEN sorteos that sold nothing (docs/architecture.md, The banca rules). */
export async function autoCloseSorteos(deps: { sorteos: SorteoRepository; clock: Clock }): Promise<AutoCloseSummary> {
  const now = deps.clock.now();
  toInstant(now); // an invalid clock reading must not reach storage as a cutoff
  const closedCount = await deps.sorteos.closeUnsoldOpenUpTo(now);
  return { closedCount, errorsCount: 0, executedAt: now.toISOString(), success: true };
}
