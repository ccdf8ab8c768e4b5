import { DomainError } from '../kernel/domain-error';
import { isDeadLetterId, MAX_DEAD_LETTER_IDS, MAX_PURGE_REASON_CHARS } from './dead-letter';

/** What a replay request replays: chosen dead letters, or every open one (at most `limit`, oldest first). */
export type DeadLetterReplayTarget = { ids: readonly string[] } | { all: true; limit?: number };

/**
 * A replay request's body or flags: exactly one of `ids` (1 to 500 dead-letter ids) and `all: true`;
 * `limit` only with `all`. Each refusal is VALIDATION.INVALID_INPUT naming the field.
 */
export function replayTargetOf(input: { ids?: unknown; all?: unknown; limit?: unknown }): DeadLetterReplayTarget {
  const hasIds = input.ids !== undefined;
  const hasAll = input.all !== undefined;
  if (hasIds && hasAll) throw invalid('all', 'give ids or all, not both', true);
  if (!hasIds && !hasAll) throw invalid('ids', 'ids (the dead letters to replay) or all: true is required', null);
  if (hasIds) {
    if (input.limit !== undefined) throw invalid('limit', 'limit applies to all only', input.limit);
    return { ids: deadLetterIdsOf(input.ids) };
  }
  if (input.all !== true) throw invalid('all', 'all must be true', input.all);
  if (input.limit === undefined) return { all: true };
  if (typeof input.limit !== 'number' || !Number.isSafeInteger(input.limit) || input.limit < 1) throw invalid('limit', 'limit must be a positive integer', input.limit);
  return { all: true, limit: input.limit };
}

/** A purge request: the dead letters (1 to 500 ids) and why, 1 to 500 characters once trimmed. */
export function purgeRequestOf(input: { ids?: unknown; reason?: unknown }): { ids: string[]; reason: string } {
  const ids = deadLetterIdsOf(input.ids);
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length === 0) throw invalid('reason', 'reason is required: say why these dead letters are purged', null);
  if (reason.length > MAX_PURGE_REASON_CHARS) throw invalid('reason', `reason has at most ${MAX_PURGE_REASON_CHARS} characters`, reason.length);
  return { ids, reason };
}

/** Dead-letter ids, lower-cased and each once. */
export function deadLetterIdsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_DEAD_LETTER_IDS) {
    throw invalid('ids', `ids must be a list of 1 to ${MAX_DEAD_LETTER_IDS} dead-letter ids`, Array.isArray(value) ? value.length : typeof value);
  }
  value.forEach((id, index) => {
    if (!isDeadLetterId(id)) throw invalid(`ids[${index}]`, 'a dead-letter id is a UUID', id);
  });
  return [...new Set((value as string[]).map((id) => id.toLowerCase()))];
}

const invalid = (field: string, message: string, value: unknown): DomainError =>
  new DomainError('VALIDATION.INVALID_INPUT', message, { field, value: typeof value === 'string' ? value.slice(0, 100) : value });
