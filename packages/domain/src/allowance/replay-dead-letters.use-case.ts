import type { Clock } from '../kernel/clock.port';
import { DomainError } from '../kernel/domain-error';
import type { Logger } from '../kernel/logger.port';
import { allowanceRunMessage, type AllowanceRunMessage } from './allowance-message';
import type { AllowanceQueue } from './allowance.ports';
import { STALE_REPLAY_CLAIM_MS, type DeadLetter } from './dead-letter';
import type { DeadLetterStore } from './dead-letter.ports';
import type { DeadLetterReplayTarget } from './dead-letter-request';

/** Why a chosen dead letter was not replayed. */
export type DeadLetterNotReplayedReason = 'unknown' | 'already-replayed' | 'purged' | 'in-progress' | 'malformed';

export interface DeadLetterReplayResult {
  requestId: string;
  /** The dead letters whose runs the broker confirmed, now `replayed`. */
  replayed: Array<{ id: string; scheduleId: string; runAt: Date }>;
  /** Chosen dead letters left as they were, and why (a replay of all names none). */
  notReplayed: Array<{ id: string; reason: DeadLetterNotReplayedReason }>;
}

export interface ReplayDeadLettersDeps {
  deadLetters: DeadLetterStore;
  /** The allowance queue: persistent, confirmed publishing. */
  queue: AllowanceQueue;
  clock: Clock;
  logger: Logger;
  /** Rows claimed and published at a time by a replay of all. Default 200. */
  pageSize?: number;
}

/**
 * Replays dead letters (docs/architecture.md, Allowance: dead letters): claims them (`open` → `replaying`
 * under the request's id, one guarded statement), publishes each run once with publisher confirms and a
 * fresh attempt count, then marks them `replayed` by whom and when. A run already credited is a duplicate
 * the worker acknowledges: the credit is unique per (schedule, run).
 *
 * - A publish the broker does not confirm puts that batch back to `open` and fails the request with
 *   ALLOWANCE.QUEUE_UNAVAILABLE (the batches before it stay replayed): a row is `replayed` only once its
 *   run reached the queue. A request that dies between claim and finish leaves its rows `replaying`
 *   until STALE_REPLAY_CLAIM_MS has passed; then they are claimable again.
 * - A request publishes each run at most once, even when two of its rows name the same run.
 * - A replay of all takes the open rows recorded when it began, oldest first, in pages: a replayed run
 *   that fails again becomes a new dead letter, left for the next replay.
 * - Malformed dead letters name no run and are never replayed: they are purged.
 */
export async function replayDeadLetters(
  deps: ReplayDeadLettersDeps,
  target: DeadLetterReplayTarget,
  actor: { requestId: string; by: string },
): Promise<DeadLetterReplayResult> {
  const { deadLetters, clock } = deps;
  const { requestId } = actor;
  const startedAt = clock.now();
  const staleBefore = new Date(startedAt.getTime() - STALE_REPLAY_CLAIM_MS);
  const published = new Set<string>();
  const replayed: DeadLetterReplayResult['replayed'] = [];

  async function publishAndMark(claimed: DeadLetter[]): Promise<void> {
    const messages: AllowanceRunMessage[] = [];
    for (const row of claimed) {
      if (published.has(row.messageKey)) continue;
      published.add(row.messageKey);
      messages.push({ ...allowanceRunMessage(row.scheduleId!, row.runAt!), ...(row.traceContext ? { replayOf: row.traceContext } : {}) });
    }
    const ids = claimed.map((row) => row.id);
    try {
      await deps.queue.publish(messages);
    } catch (error) {
      for (const message of messages) published.delete(message.messageId);
      const released = await deadLetters.releaseReplay(requestId, ids).catch((releaseError: unknown) => {
        // The rows stay `replaying` until their claim is stale, then any replay takes them again.
        deps.logger.error('ALLOWANCE_DEAD_LETTER_RELEASE_FAIL', { requestId, rows: ids.length, error: messageOf(releaseError) });
        return 0;
      });
      deps.logger.warn('ALLOWANCE_DEAD_LETTER_REPLAY_FAIL', { requestId, by: actor.by, replayed: replayed.length, released, error: messageOf(error) });
      throw new DomainError(
        'ALLOWANCE.QUEUE_UNAVAILABLE',
        `the allowance queue did not confirm the replay (${messageOf(error)}): ${replayed.length} dead letters were replayed before it, the rest stay open`,
        { requestId, replayed: replayed.length },
      );
    }
    const marked = new Set(await deadLetters.markReplayed({ requestId, ids, replayedBy: actor.by, replayedAt: clock.now() }));
    for (const row of claimed) if (marked.has(row.id)) replayed.push({ id: row.id, scheduleId: row.scheduleId!, runAt: row.runAt! });
  }

  let notReplayed: DeadLetterReplayResult['notReplayed'] = [];
  if ('ids' in target) {
    await publishAndMark(await deadLetters.claimForReplay({ requestId, claimedAt: startedAt, staleBefore, ids: target.ids }));
    notReplayed = await whyNotReplayed(deadLetters, target.ids, new Set(replayed.map((row) => row.id)));
  } else {
    const upTo = await deadLetters.latestPosition();
    const pageSize = deps.pageSize ?? 200;
    let remaining = target.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const claimed = await deadLetters.claimForReplay({ requestId, claimedAt: clock.now(), staleBefore, upTo, limit: Math.min(pageSize, remaining) });
      if (claimed.length === 0) break;
      await publishAndMark(claimed);
      remaining -= claimed.length;
    }
  }
  deps.logger.info('ALLOWANCE_DEAD_LETTERS_REPLAYED', { requestId, by: actor.by, replayed: replayed.length, notReplayed: notReplayed.length });
  return { requestId, replayed, notReplayed };
}

async function whyNotReplayed(deadLetters: Pick<DeadLetterStore, 'findByIds'>, ids: readonly string[], done: ReadonlySet<string>): Promise<DeadLetterReplayResult['notReplayed']> {
  const left = ids.filter((id) => !done.has(id));
  if (left.length === 0) return [];
  const rows = new Map((await deadLetters.findByIds(left)).map((row) => [row.id, row]));
  return left.map((id) => ({ id, reason: reasonOf(rows.get(id)) }));
}

function reasonOf(row: DeadLetter | undefined): DeadLetterNotReplayedReason {
  if (row === undefined) return 'unknown';
  switch (row.status) {
    case 'replayed':
      return 'already-replayed';
    case 'purged':
      return 'purged';
    case 'replaying':
      return 'in-progress';
    case 'open':
      // An open row not claimed names no run, or another request held it at that moment.
      return row.scheduleId === null ? 'malformed' : 'in-progress';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
