import { Money } from '../money/money';
import { DomainError, withField } from '../kernel/domain-error';
import { assertPageLimit, decodeCursor, DEFAULT_PAGE_LIMIT, type Page, pageOf } from '../kernel/page';
import { addCRDays, assertCRDate } from '../time/cr-time';
import { ACCOUNT_DIMENSIONS, type AccountDimension } from './account-entity';
import { chainedRemaining, isChainBound } from './settlement-chain';
import type { StatementChainEntry, StatementChainReadRepository } from './statement-chain-reads.ports';

/** The longest range one request reads, from and to included: a leap year. */
export const MAX_STATEMENT_RANGE_DAYS = 366;

/**
 * Where a statement stands in its chain: `chained` follows from the statement before it (the chain rule
 * binds it and holds), `broken` is bound and does not (reconciliation's STATEMENT_CHAIN), `provisional`
 * is an unsettled statement with activity, whose figure is the sales side's until it is settled.
 */
export type StatementChainStatus = 'chained' | 'broken' | 'provisional';

export interface StatementChainLinkView {
  date: string;
  ticketCount: number;
  totalSales: string;
  totalPayouts: string;
  totalCommissions: string;
  balance: string;
  totalPaid: string;
  totalCollected: string;
  remainingBalance: string;
  settled: boolean;
  settledAt: string | null;
  settledBy: string | null;
  chain: StatementChainStatus;
  /** What the chain rule gives from the statement before: remaining(previous, else 0) + balance − collected + paid. */
  expectedRemaining: string;
}

export interface StatementChainPage extends Page<StatementChainLinkView> {
  dimension: AccountDimension;
  entityId: string;
  entityName: string;
  from: string;
  to: string;
}

export interface ReadStatementChainOptions {
  dimension: string;
  entityId: string;
  /** CR dates `YYYY-MM-DD`, both included, at most 366 days apart. */
  from: string;
  to: string;
  limit?: number;
  cursor?: string;
}

/**
 * One entity's statements over a date range, in date order, each with its figures, whether it is
 * settled, and where it stands in the chain (the domain's chain rule, the same reconciliation applies).
 * Refuses bad input before reading (TIME.INVALID_DATE, VALIDATION.INVALID_INPUT naming the field, a range
 * over 366 days named on `to`), and an entity that does not exist in that dimension (ENTITY.NOT_FOUND).
 */
export async function readStatementChain(deps: { statementChain: StatementChainReadRepository }, options: ReadStatementChainOptions): Promise<StatementChainPage> {
  const dimension = options.dimension as AccountDimension;
  if (!ACCOUNT_DIMENSIONS.includes(dimension)) throw invalid('dimension', options.dimension, `dimension must be one of ${ACCOUNT_DIMENSIONS.join(', ')}`);
  const from = withField('from', () => assertCRDate(options.from));
  const to = withField('to', () => assertCRDate(options.to));
  if (to < from) throw invalid('to', to, 'to must not be before from');
  const latest = addCRDays(from, MAX_STATEMENT_RANGE_DAYS - 1);
  if (to > latest) throw invalid('to', to, `the range may cover at most ${MAX_STATEMENT_RANGE_DAYS} days: to must be on or before ${latest}`);
  const limit = assertPageLimit(options.limit ?? DEFAULT_PAGE_LIMIT);
  const keys = ['statements', dimension, options.entityId, from, to];
  let afterDate: string | null = null;
  if (options.cursor !== undefined) {
    const decoded = decodeCursor(options.cursor, ['text', 'text', 'text', 'date', 'date', 'date']);
    if (keys.some((key, index) => decoded[index] !== key)) throw invalid('cursor', options.cursor.slice(0, 100), 'cursor is not a cursor this list gave out');
    afterDate = decoded[5] as string;
  }
  const entity = await deps.statementChain.findEntity(dimension, options.entityId);
  if (entity === null) {
    throw new DomainError('ENTITY.NOT_FOUND', `no ${dimension} ${options.entityId}`, { dimension, entityId: options.entityId });
  }
  const rows = await deps.statementChain.statementChain({ dimension, entityId: options.entityId, from, to, afterDate, limit: limit + 1 });
  return {
    dimension,
    entityId: options.entityId,
    entityName: entity.name,
    from,
    to,
    ...pageOf(rows, limit, (row) => [...keys, row.date], toStatementChainLinkView),
  };
}

export function toStatementChainLinkView(entry: StatementChainEntry): StatementChainLinkView {
  const expectedRemaining = chainedRemaining(entry.previousRemaining, entry);
  const follows = Money.parseUnbounded(expectedRemaining).equals(Money.parseUnbounded(entry.remainingBalance));
  return {
    date: entry.date,
    ticketCount: entry.ticketCount,
    totalSales: entry.totalSales,
    totalPayouts: entry.totalPayouts,
    totalCommissions: entry.totalCommissions,
    balance: entry.balance,
    totalPaid: entry.totalPaid,
    totalCollected: entry.totalCollected,
    remainingBalance: entry.remainingBalance,
    settled: entry.isSettled,
    settledAt: entry.settledAt?.toISOString() ?? null,
    settledBy: entry.settledBy,
    chain: !isChainBound(entry) ? 'provisional' : follows ? 'chained' : 'broken',
    expectedRemaining,
  };
}

function invalid(field: string, value: string, message: string): DomainError {
  return new DomainError('VALIDATION.INVALID_INPUT', message, { field, value });
}

