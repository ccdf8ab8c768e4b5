import type { Knex } from 'knex';
import { type ClosingDimension, Money } from '@banca/domain';
import type { ClosingEntry, ClosingListing, ClosingPosition, ClosingReadRepository, ClosingTotals } from '@banca/domain/ports';
import { CLOSING_TOTALS_SQL, closingExportSql, closingPageQuery, type ClosingEntryRow } from './closing-reads.sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_NAME = 'closings_export';

/**
 * The operators' reads of monthly_closing_balances: keyset pages, the month's totals in one aggregate,
 * and the export through a server-side cursor, so a month of any size is sorted once and read a batch at
 * a time from one snapshot (docs/architecture.md, Monthly closing).
 */
export class KnexClosingReadRepository implements ClosingReadRepository {
  constructor(private readonly db: Knex) {}

  async closingTotals(month: string, dimension: ClosingDimension): Promise<ClosingTotals> {
    const { rows } = await this.db.raw<{ rows: Array<Record<string, string | number>> }>(CLOSING_TOTALS_SQL, [month, dimension]);
    const row = rows[0]!;
    const amount = (column: string) => Money.parseUnbounded(String(row[column])).toString();
    return {
      entities: Number(row['entities']),
      ticketCount: Number(row['ticket_count']),
      totalSales: amount('total_sales'),
      totalPayouts: amount('total_payouts'),
      totalCommissions: amount('total_commissions'),
      netBalance: amount('net_balance'),
      totalPaid: amount('total_paid'),
      totalCollected: amount('total_collected'),
      openingBalance: amount('opening_balance'),
      remainingBalance: amount('remaining_balance'),
    };
  }

  async listClosings(listing: ClosingListing, after: ClosingPosition | null, limit: number): Promise<ClosingEntry[]> {
    if (after !== null && !UUID.test(after.entityId)) throw new Error(`listClosings: the cursor entity ${after.entityId} is not an entity id`);
    const { sql, bindings } = closingPageQuery(listing, after, Math.floor(limit));
    const { rows } = await this.db.raw<{ rows: ClosingEntryRow[] }>(sql, bindings);
    return rows.map(toClosingEntry);
  }

  /**
   * DECLARE … CURSOR in a transaction of its own, then FETCH a batch at a time: PostgreSQL sorts the
   * month once and keeps the rows; this process holds one batch. The transaction (and its pooled
   * connection) ends with the iteration: committed at the end, rolled back when the reader stops early
   * (a client gone) or a FETCH fails.
   */
  async *streamClosings(listing: ClosingListing, batchSize: number): AsyncIterable<ClosingEntry[]> {
    const size = Math.floor(batchSize);
    if (!(size >= 1)) throw new Error(`streamClosings: batch size ${batchSize} is not a positive integer`);
    const sql = closingExportSql(listing);
    const trx = await this.db.transaction();
    let finished = false;
    try {
      await trx.raw(`DECLARE ${CURSOR_NAME} NO SCROLL CURSOR FOR ${sql}`);
      for (;;) {
        const { rows } = await trx.raw<{ rows: ClosingEntryRow[] }>(`FETCH FORWARD ${size} FROM ${CURSOR_NAME}`);
        if (rows.length > 0) yield rows.map(toClosingEntry);
        if (rows.length < size) break;
      }
      await trx.commit();
      finished = true;
    } finally {
      if (!finished) await trx.rollback();
    }
  }
}

function toClosingEntry(row: ClosingEntryRow): ClosingEntry {
  return {
    entityId: row.entity_id,
    entityName: row.entity_name,
    bancaId: row.banca_id,
    ticketCount: row.ticket_count,
    totalSales: row.total_sales,
    totalPayouts: row.total_payouts,
    totalCommissions: row.total_commissions,
    netBalance: row.net_balance,
    totalPaid: row.total_paid,
    totalCollected: row.total_collected,
    openingBalance: row.opening_balance,
    remainingBalance: row.remaining_balance,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
  };
}
