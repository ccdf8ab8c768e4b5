import type { Clock } from '../kernel/clock.port';
import type { Logger } from '../kernel/logger.port';
import { STALE_REPLAY_CLAIM_MS } from './dead-letter';
import type { DeadLetterStore } from './dead-letter.ports';

/** Why a chosen dead letter was not purged. */
export type DeadLetterNotPurgedReason = 'unknown' | 'already-replayed' | 'purged' | 'in-progress';

export interface DeadLetterPurgeResult {
  purged: string[];
  notPurged: Array<{ id: string; reason: DeadLetterNotPurgedReason }>;
}

/**
 * Purges chosen dead letters with a reason (docs/architecture.md, Allowance: dead letters): open ones (and
 * ones whose replay claim is stale) become `purged` with who, when and why, in one guarded statement. A
 * purged dead letter is never replayed; a replayed one is never purged.
 */
export async function purgeDeadLetters(
  deps: { deadLetters: Pick<DeadLetterStore, 'purge' | 'findByIds'>; clock: Clock; logger: Logger },
  request: { ids: readonly string[]; reason: string },
  by: string,
): Promise<DeadLetterPurgeResult> {
  const now = deps.clock.now();
  const purged = await deps.deadLetters.purge({
    ids: request.ids,
    reason: request.reason,
    purgedBy: by,
    purgedAt: now,
    staleBefore: new Date(now.getTime() - STALE_REPLAY_CLAIM_MS),
  });
  const done = new Set(purged);
  const left = request.ids.filter((id) => !done.has(id));
  const rows = new Map((left.length === 0 ? [] : await deps.deadLetters.findByIds(left)).map((row) => [row.id, row]));
  const notPurged = left.map((id) => {
    const row = rows.get(id);
    const reason: DeadLetterNotPurgedReason =
      row === undefined ? 'unknown' : row.status === 'replayed' ? 'already-replayed' : row.status === 'purged' ? 'purged' : 'in-progress';
    return { id, reason };
  });
  deps.logger.info('ALLOWANCE_DEAD_LETTERS_PURGED', { by, purged: purged.length, notPurged: notPurged.length, reason: request.reason });
  return { purged, notPurged };
}
