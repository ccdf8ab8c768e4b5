import type { ClosingEntry, ClosingListing, ClosingPosition, ClosingReadRepository, ClosingTotals } from '../../closing/closing-reads.ports';
import type { ClosingDimension } from '../../closing/month-balance';
import { positionOfEntry } from '../../closing/read-closings.use-case';
import { Money } from '../../money/money';
import { closingRowOf } from '../reconciliation/in-memory-reconciliation';
import { compareIds, InMemoryBancaData } from '../settlement/banca-fixtures';
import { type ClosingReadsContractHarness, DEFAULT_CLOSED_AT, type GivenClosingEntry } from './closing-reads-contract.harness';

type StoredClosing = Omit<ClosingEntry, 'entityName'> & { month: string; dimension: ClosingDimension };

const SUMMED = ['totalSales', 'totalPayouts', 'totalCommissions', 'netBalance', 'totalPaid', 'totalCollected', 'openingBalance', 'remainingBalance'] as const;

/** The reference ClosingReadRepository: the stored rows sorted in memory, names from the hierarchy. */
export class InMemoryClosingReads implements ClosingReadRepository {
  readonly rows: StoredClosing[] = [];

  constructor(private readonly data: InMemoryBancaData) {}

  async closingTotals(month: string, dimension: ClosingDimension): Promise<ClosingTotals> {
    const rows = this.rows.filter((row) => row.month === month && row.dimension === dimension);
    const sums = Object.fromEntries(SUMMED.map((field) => [field, Money.sum(rows.map((row) => row[field])).toString()])) as Record<(typeof SUMMED)[number], string>;
    return { entities: rows.length, ticketCount: rows.reduce((sum, row) => sum + row.ticketCount, 0), ...sums };
  }

  async listClosings(listing: ClosingListing, after: ClosingPosition | null, limit: number): Promise<ClosingEntry[]> {
    return this.sorted(listing)
      .filter((entry) => after === null || this.compare(listing, positionOfEntry(listing.sort, entry), after) > 0)
      .slice(0, limit);
  }

  async *streamClosings(listing: ClosingListing, batchSize: number): AsyncIterable<ClosingEntry[]> {
    const snapshot = this.sorted(listing);
    for (let start = 0; start < snapshot.length; start += batchSize) yield snapshot.slice(start, start + batchSize);
  }

  insert(input: GivenClosingEntry): void {
    const { month, dimension, entityId, ...balance } = closingRowOf(input);
    this.rows.push({ month, dimension, entityId, bancaId: input.bancaId, ...balance, closedAt: input.closedAt ?? DEFAULT_CLOSED_AT, closedBy: input.closedBy ?? null });
  }

  private sorted(listing: ClosingListing): ClosingEntry[] {
    return this.rows
      .filter((row) => row.month === listing.month && row.dimension === listing.dimension)
      .map(({ month: _month, dimension: _dimension, ...row }): ClosingEntry => ({ ...row, entityName: this.data.nameOf({ dimension: listing.dimension, id: row.entityId }) }))
      .sort((a, b) => this.compare(listing, positionOfEntry(listing.sort, a), positionOfEntry(listing.sort, b)));
  }

  /** The listing's order: the sort value (code points, or numbers for amounts), then the entity id; reversed for desc. */
  private compare(listing: ClosingListing, a: ClosingPosition, b: ClosingPosition): number {
    const bySort =
      listing.sort === 'remainingBalance' ? sign(Money.parseUnbounded(a.sortValue).cents - Money.parseUnbounded(b.sortValue).cents) : compareCodePoints(a.sortValue, b.sortValue);
    const ascending = bySort !== 0 ? bySort : compareIds(a.entityId, b.entityId);
    return listing.order === 'asc' ? ascending : -ascending;
  }
}

const sign = (value: bigint): number => (value < 0n ? -1 : value > 0n ? 1 : 0);

/** Unicode code point order, which is PostgreSQL's "C" collation over UTF-8. */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0)!);
  const right = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) if (left[i] !== right[i]) return left[i]! - right[i]!;
  return left.length - right.length;
}

/** A fresh in-memory store of the hierarchy and month balances, for the contract and unit tests. */
export async function inMemoryClosingReadsHarness(): Promise<ClosingReadsContractHarness & { data: InMemoryBancaData; reads: InMemoryClosingReads }> {
  const data = new InMemoryBancaData();
  const reads = new InMemoryClosingReads(data);
  return {
    data,
    reads,
    closingReads: reads,
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    reverseMovement: (id) => data.reverseMovement(id),
    givenClosingRow: async (input) => reads.insert(input),
    close: async () => undefined,
  };
}
