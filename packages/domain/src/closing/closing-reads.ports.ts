import type { ClosingDimension, MonthBalance } from './month-balance';

/** What a month's closing rows can be listed by (docs/architecture.md, Monthly closing). */
export const CLOSING_SORTS = ['name', 'remainingBalance', 'entityId'] as const;
export type ClosingSort = (typeof CLOSING_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Which rows, in which order: one month of one dimension. */
export interface ClosingListing {
  month: string;
  dimension: ClosingDimension;
  sort: ClosingSort;
  order: SortOrder;
}

/** One entity's month balance as stored, with the entity's name; amounts two-decimal strings. */
export interface ClosingEntry extends MonthBalance {
  entityId: string;
  /** The entity's name in the hierarchy; null when the entity is gone from it. */
  entityName: string | null;
  bancaId: string;
  closedAt: Date;
  closedBy: string | null;
}

/** The sums of a whole month of a dimension, every row counted (not a page's). */
export interface ClosingTotals extends MonthBalance {
  /** Entities closed; 0 when the month has no closing of this dimension. */
  entities: number;
}

/**
 * A row's place in a listing: its sort value (the name, '' when it has none; the remaining balance as
 * a two-decimal string; or the entity id) and its entity id, which breaks ties, so the order is total.
 */
export interface ClosingPosition {
  sortValue: string;
  entityId: string;
}

/**
 * The reads of `monthly_closing_balances` for operators. Names sort by their characters' code points
 * (PostgreSQL's "C" collation), the same in every implementation; amounts compare as numbers.
 */
export interface ClosingReadRepository {
  /** The sums of the whole month of the dimension. */
  closingTotals(month: string, dimension: ClosingDimension): Promise<ClosingTotals>;
  /** At most `limit` rows after `after` (from the first when null), in the listing's order. */
  listClosings(listing: ClosingListing, after: ClosingPosition | null, limit: number): Promise<ClosingEntry[]>;
  /**
   * Every row of the listing, in its order, in batches of at most `batchSize`, read from one snapshot
   * whatever closes meanwhile, and without holding more than a batch: ending the iteration early
   * (`return()`, as a stream destroyed does) releases what it holds.
   */
  streamClosings(listing: ClosingListing, batchSize: number): AsyncIterable<ClosingEntry[]>;
}
