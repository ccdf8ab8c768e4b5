import { DomainError } from '../kernel/domain-error';

export const SORTEO_STATUSES = ['SCHEDULED', 'OPEN', 'EVALUATED', 'CLOSED'] as const;
export type SorteoStatus = (typeof SORTEO_STATUSES)[number];

/** As docs/architecture.md (The banca rules) has it: SCHEDULED → OPEN → EVALUATED → CLOSED, plus OPEN → CLOSED for a draw nobody bought. */
const NEXT: Readonly<Record<SorteoStatus, readonly SorteoStatus[]>> = {
  SCHEDULED: ['OPEN'],
  OPEN: ['EVALUATED', 'CLOSED'],
  EVALUATED: ['CLOSED'],
  CLOSED: [],
};

export function isSorteoStatus(value: unknown): value is SorteoStatus {
  return (SORTEO_STATUSES as readonly unknown[]).includes(value);
}

/** Whether a sorteo may move from one status to another; staying in the same status is not a transition. */
export function canTransition(from: SorteoStatus, to: SorteoStatus): boolean {
  return isSorteoStatus(from) && isSorteoStatus(to) && NEXT[from].includes(to);
}

/** Throws SORTEO.INVALID_TRANSITION unless canTransition(from, to). */
export function assertTransition(from: SorteoStatus, to: SorteoStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError('SORTEO.INVALID_TRANSITION', `a sorteo cannot go from ${String(from)} to ${String(to)}`, { from, to });
  }
}

/** Ticket statuses that are not a sale: a sorteo whose tickets all have one of these counts as unsold. */
export const TICKET_STATUSES_NOT_SOLD = ['CANCELLED', 'EXCLUDED'] as const;

export function isSoldTicketStatus(status: string): boolean {
  return !(TICKET_STATUSES_NOT_SOLD as readonly string[]).includes(status);
}
