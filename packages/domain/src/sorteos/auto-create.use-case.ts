import type { Clock } from '../kernel/clock.port';
import { isDomainError } from '../kernel/domain-error';
import type { Logger } from '../kernel/logger.port';
import { autoCreateWindow, expandDrawSchedule, type DrawOccurrence } from './draw-schedule';
import type { LoteriaRepository, SorteoRepository } from './sorteos.ports';

export interface AutoCreateSummary {
  createdCount: number;
  skippedCount: number;
  /** Lotteries whose draw schedule is invalid; their sorteos are not created, the others' are. */
  errorsCount: number;
  executedAt: string;
  /** The original system's flag, kept so existing alerts keep matching: a completed run. */
  success: true;
}

export interface AutoCreateDeps {
  loterias: LoteriaRepository;
  sorteos: SorteoRepository;
  clock: Clock;
  logger?: Logger;
}

/**
 * Creates the sorteos of every active auto-create lottery for `[now, start of CR day today + daysAhead)`
 * (docs/architecture.md, The banca rules). All valid lotteries go to storage in one createMany.
 */
export async function autoCreateSorteos(deps: AutoCreateDeps, options: { daysAhead?: number } = {}): Promise<AutoCreateSummary> {
  const now = deps.clock.now();
  const window = autoCreateWindow(now, options.daysAhead);
  const occurrences: DrawOccurrence[] = [];
  let errorsCount = 0;
  for (const loteria of await deps.loterias.listForAutoCreate()) {
    try {
      occurrences.push(...expandDrawSchedule(loteria, window));
    } catch (error) {
      // A broken rules_json is that lottery's problem only (docs/architecture.md, The banca rules); anything else is a bug.
      if (!isDomainError(error)) throw error;
      errorsCount += 1;
      deps.logger?.warn('SORTEOS_AUTO_CREATE_LOTERIA_ERROR', { loteriaId: loteria.id, code: error.code, error: error.message });
    }
  }
  const { createdCount, skippedCount } =
    occurrences.length === 0 ? { createdCount: 0, skippedCount: 0 } : await deps.sorteos.createMany(occurrences);
  return { createdCount, skippedCount, errorsCount, executedAt: now.toISOString(), success: true };
}
