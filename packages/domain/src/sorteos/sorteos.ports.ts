import type { DrawOccurrence } from './draw-schedule';

/** A lottery auto-create expands: `rulesJson` is the raw `rules_json`, validated by the domain. */
export interface LoteriaForAutoCreate {
  id: string;
  name: string;
  rulesJson: unknown;
}

export interface LoteriaRepository {
  /** Lotteries with `is_active` AND `auto_create_enabled`. */
  listForAutoCreate(): Promise<LoteriaForAutoCreate[]>;
}

export interface CreateManyResult {
  createdCount: number;
  /** Occurrences whose `(loteriaId, scheduledAt)` already existed, or repeated earlier in the same batch. */
  skippedCount: number;
}

/**
 * Sorteo writes as whole-set statements, each guarded in storage so two runs at once, or a re-run,
 * change nothing twice (docs/architecture.md, Running the jobs). Infrastructure failures are thrown, never counted.
 */
export interface SorteoRepository {
  /**
   * Creates each occurrence as an active SCHEDULED sorteo in one statement (`INSERT … ON CONFLICT
   * (loteria_id, scheduled_at) DO NOTHING`); an existing pair is left untouched and counted as skipped.
   * `createdCount + skippedCount` equals the number of occurrences.
   */
  createMany(occurrences: readonly DrawOccurrence[]): Promise<CreateManyResult>;

  /**
   * SCHEDULED → OPEN for every active sorteo with `start <= scheduledAt < end` whose lottery is active
   * with `auto_open_enabled`. Returns how many were opened.
   */
  openScheduledBetween(range: { start: Date; end: Date }): Promise<number>;

  /**
   * OPEN → CLOSED for every active sorteo with `scheduledAt <= now` and no ticket whose status is other
   * than CANCELLED/EXCLUDED. Returns how many were closed.
   *
   * Lottery flags: only sorteos of active lotteries are closed; an inactive lottery is out of the
   * automation, its leftovers are for an operator to decide. There is no auto-close flag, and
   * `auto_open_enabled` does not apply: a sorteo opened by hand still closes when nobody bought it.
   */
  closeUnsoldOpenUpTo(now: Date): Promise<number>;
}
