import { DomainError } from '../kernel/domain-error';
import { assertPageLimit, decodeCursor, DEFAULT_PAGE_LIMIT, pageOf, type Page } from '../kernel/page';
import { isAllowanceId } from './allowance-message';
import { DEAD_LETTER_STATUSES, isDeadLetterId, isDeadLetterReasonCode, type DeadLetter, type DeadLetterStatus } from './dead-letter';
import type { DeadLetterListQuery, DeadLetterStore } from './dead-letter.ports';
import { parseIsoInstant } from './iso-instant';

/** `status` of a dead-letter list: one status, or `any`. Open by default: what waits for an operator. */
export const DEAD_LETTER_LIST_STATUSES = [...DEAD_LETTER_STATUSES, 'any'] as const;
export type DeadLetterListStatus = (typeof DEAD_LETTER_LIST_STATUSES)[number];

/** The filters of a dead-letter list as an operator gives them (HTTP query, CLI flags): text, checked here. */
export interface ListDeadLettersOptions {
  status?: string;
  reasonCode?: string;
  scheduleId?: string;
  /** Instant with an offset: dead-lettered at or after it. */
  from?: string;
  /** Instant with an offset: dead-lettered before it. */
  to?: string;
  limit?: number;
  cursor?: string;
}

const CURSOR_FIELDS = ['instant', 'uuid'] as const;

/**
 * One page of dead letters, newest dead-lettered first (ties by id, descending), filtered by status
 * (default open), reason code, schedule and a time range. Each filter is checked and refused with
 * VALIDATION.INVALID_INPUT or TIME.INVALID_INSTANT naming it; nothing is read before.
 */
export async function listDeadLetters(deps: { deadLetters: Pick<DeadLetterStore, 'list'> }, options: ListDeadLettersOptions): Promise<Page<DeadLetter>> {
  const query = listQueryOf(options);
  const rows = await deps.deadLetters.list({ ...query, limit: query.limit + 1 });
  return pageOf(rows, query.limit, (row) => [row.deadLetteredAt.toISOString(), row.id], (row) => row);
}

/** One dead letter; DEAD_LETTER.NOT_FOUND when there is none of that id. */
export async function getDeadLetter(deps: { deadLetters: Pick<DeadLetterStore, 'findById'> }, id: string): Promise<DeadLetter> {
  if (!isDeadLetterId(id)) throw new DomainError('VALIDATION.INVALID_INPUT', 'id must be a UUID', { field: 'id', value: String(id).slice(0, 100) });
  const found = await deps.deadLetters.findById(id.toLowerCase());
  if (found === null) throw new DomainError('DEAD_LETTER.NOT_FOUND', `no dead letter ${id}`, { id });
  return found;
}

export function listQueryOf(options: ListDeadLettersOptions): DeadLetterListQuery {
  const status = options.status ?? 'open';
  if (!(DEAD_LETTER_LIST_STATUSES as readonly string[]).includes(status)) {
    throw invalid('status', `status must be one of ${DEAD_LETTER_LIST_STATUSES.join(', ')}`, status);
  }
  if (options.reasonCode !== undefined && !isDeadLetterReasonCode(options.reasonCode)) {
    throw invalid('reasonCode', 'reasonCode must be a code like ALLOWANCE.INSUFFICIENT_FUNDS', options.reasonCode);
  }
  if (options.scheduleId !== undefined && !isAllowanceId(options.scheduleId)) {
    throw invalid('scheduleId', 'scheduleId must be an id of letters, digits, "-" or "_"', options.scheduleId);
  }
  const from = options.from === undefined ? null : parseIsoInstant(options.from, 'from');
  const to = options.to === undefined ? null : parseIsoInstant(options.to, 'to');
  if (from !== null && to !== null && to.getTime() <= from.getTime()) throw invalid('to', 'to must be later than from', options.to);
  const limit = assertPageLimit(options.limit ?? DEFAULT_PAGE_LIMIT);
  let after: DeadLetterListQuery['after'] = null;
  if (options.cursor !== undefined) {
    const [at, id] = decodeCursor(options.cursor, CURSOR_FIELDS) as [string, string];
    after = { deadLetteredAt: new Date(at), id: id.toLowerCase() };
  }
  return {
    status: status === 'any' ? null : (status as DeadLetterStatus),
    reasonCode: options.reasonCode ?? null,
    scheduleId: options.scheduleId ?? null,
    from,
    to,
    after,
    limit,
  };
}

const invalid = (field: string, message: string, value: unknown): DomainError =>
  new DomainError('VALIDATION.INVALID_INPUT', message, { field, value: typeof value === 'string' ? value.slice(0, 100) : value });
