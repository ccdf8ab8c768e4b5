import { Money } from '../money/money';
import { ACCOUNT_DIMENSIONS } from '../settlement/account-entity';
import { DomainError, withField } from '../kernel/domain-error';
import { assertPageLimit, type CursorKey, decodeCursor, DEFAULT_PAGE_LIMIT, type Page, pageOf } from '../kernel/page';
import { assertMonth } from '../time/cr-time';
import {
  CLOSING_SORTS,
  type ClosingEntry,
  type ClosingListing,
  type ClosingPosition,
  type ClosingReadRepository,
  type ClosingSort,
  type ClosingTotals,
  SORT_ORDERS,
  type SortOrder,
} from './closing-reads.ports';
import type { ClosingDimension, MonthBalance } from './month-balance';

/** Rows per batch of an export: a batch is all the export holds at once. */
export const CLOSING_EXPORT_BATCH_SIZE = 1000;

/** One row as the read API shows it: the closedAt instant as ISO text. */
export interface ClosingView extends MonthBalance {
  entityId: string;
  entityName: string | null;
  bancaId: string;
  closedAt: string;
  closedBy: string | null;
}

export interface ClosingPage extends Page<ClosingView> {
  month: string;
  dimension: ClosingDimension;
  sort: ClosingSort;
  order: SortOrder;
  /** The whole month of the dimension, not this page. */
  totals: ClosingTotals;
}

export interface ClosingListingOptions {
  /** `YYYY-MM`. */
  month: string;
  dimension: string;
  /** `name` by default. */
  sort?: string;
  /** `asc` by default. */
  order?: string;
}

export interface ListClosingsOptions extends ClosingListingOptions {
  /** 1..500, default 50. */
  limit?: number;
  /** The `nextCursor` of the page before. */
  cursor?: string;
}

/**
 * A page of a month's closing rows of one dimension, with the totals of the whole month. A month with
 * no closing of that dimension is CLOSING.NOT_FOUND rather than an empty page: an operator asking
 * for a month nobody closed must not read it as a month without money. Bad input is refused before
 * anything is read: TIME.INVALID_MONTH, VALIDATION.INVALID_INPUT naming the field (a cursor of another
 * listing included).
 */
export async function listClosings(deps: { closingReads: ClosingReadRepository }, options: ListClosingsOptions): Promise<ClosingPage> {
  const listing = closingListing(options);
  const limit = assertPageLimit(options.limit ?? DEFAULT_PAGE_LIMIT);
  const after = options.cursor === undefined ? null : positionOf(listing, options.cursor);
  const totals = await closedMonthTotals(deps, listing);
  const rows = await deps.closingReads.listClosings(listing, after, limit + 1);
  return { ...listing, totals, ...pageOf(rows, limit, (row) => cursorKeys(listing, positionOfEntry(listing.sort, row)), toClosingView) };
}

/**
 * Every closing row of a month's dimension, in batches, for an export (CSV): refused like a page
 * (CLOSING.NOT_FOUND included) before the first row is read; the rows come from one snapshot.
 */
export async function exportClosings(
  deps: { closingReads: ClosingReadRepository },
  options: ClosingListingOptions,
): Promise<{ listing: ClosingListing; totals: ClosingTotals; batches: AsyncIterable<ClosingView[]> }> {
  const listing = closingListing(options);
  const totals = await closedMonthTotals(deps, listing);
  const source = deps.closingReads.streamClosings(listing, CLOSING_EXPORT_BATCH_SIZE);
  return {
    listing,
    totals,
    batches: {
      async *[Symbol.asyncIterator]() {
        for await (const batch of source) yield batch.map(toClosingView);
      },
    },
  };
}

export function toClosingView(entry: ClosingEntry): ClosingView {
  return { ...entry, closedAt: entry.closedAt.toISOString() };
}

async function closedMonthTotals(deps: { closingReads: ClosingReadRepository }, listing: ClosingListing): Promise<ClosingTotals> {
  const totals = await deps.closingReads.closingTotals(listing.month, listing.dimension);
  if (totals.entities === 0) {
    throw new DomainError('CLOSING.NOT_FOUND', `no ${listing.dimension} of ${listing.month} has been closed`, { month: listing.month, dimension: listing.dimension });
  }
  return totals;
}

function closingListing(options: ClosingListingOptions): ClosingListing {
  const month = withField('month', () => assertMonth(options.month));
  const dimension = oneOf('dimension', options.dimension, ACCOUNT_DIMENSIONS);
  const sort = oneOf('sort', options.sort ?? 'name', CLOSING_SORTS);
  const order = oneOf('order', options.order ?? 'asc', SORT_ORDERS);
  return { month, dimension, sort, order };
}

const CURSOR_TAG = 'closings';

const cursorKeys = (listing: ClosingListing, position: ClosingPosition): CursorKey[] => [
  CURSOR_TAG, listing.month, listing.dimension, listing.sort, listing.order, position.sortValue, position.entityId,
];

/** Where the page after `cursor` starts; a cursor of another month, dimension or order is not this listing's. */
function positionOf(listing: ClosingListing, cursor: string): ClosingPosition {
  const [tag, month, dimension, sort, order, sortValue, entityId] = decodeCursor(cursor, ['text', 'text', 'text', 'text', 'text', 'text', 'uuid']) as string[];
  const expected = cursorKeys(listing, { sortValue: sortValue!, entityId: entityId! });
  const sameListing = [tag, month, dimension, sort, order].every((key, index) => key === expected[index]);
  const validValue =
    listing.sort === 'name' ? true : listing.sort === 'entityId' ? sortValue === entityId : /^-?[0-9]{1,14}\.[0-9]{2}$/.test(sortValue!);
  if (!sameListing || !validValue) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'cursor is not a cursor this list gave out', { field: 'cursor', value: cursor.slice(0, 100) });
  }
  return { sortValue: listing.sort === 'remainingBalance' ? Money.parseUnbounded(sortValue!).toString() : sortValue!, entityId: entityId! };
}

/** A row's place in the order of `sort`. */
export function positionOfEntry(sort: ClosingSort, entry: Pick<ClosingEntry, 'entityId' | 'entityName' | 'remainingBalance'>): ClosingPosition {
  const sortValue = sort === 'name' ? (entry.entityName ?? '') : sort === 'remainingBalance' ? entry.remainingBalance : entry.entityId;
  return { sortValue, entityId: entry.entityId };
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new DomainError('VALIDATION.INVALID_INPUT', `${field} must be one of ${allowed.join(', ')}`, { field, value: String(value).slice(0, 100) });
}
