import type { Knex } from 'knex';
import type { ClosingDimension } from '@banca/domain';
import type { ClosingListing, ClosingPosition } from '@banca/domain/ports';

/** Where each dimension's names live. */
const ENTITY_TABLES: Record<ClosingDimension, string> = { vendedor: 'vendedores', ventana: 'ventanas', banca: 'bancas' };

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/**
 * The sort key of each listing, with the cast its cursor value takes. Names compare in the "C"
 * collation (code points), so every database orders them alike and as the in-memory reference does.
 */
const SORT_KEYS: Record<ClosingListing['sort'], { expression: string; cursor: string }> = {
  name: { expression: `coalesce(e.name, '') COLLATE "C"`, cursor: `?::text COLLATE "C"` },
  remainingBalance: { expression: 'm.remaining_balance', cursor: '?::numeric' },
  entityId: { expression: 'm.entity_id', cursor: '?::uuid' },
};

const COLUMNS = `m.entity_id::text AS entity_id, e.name AS entity_name, m.banca_id::text AS banca_id, m.ticket_count,
  m.total_sales, m.total_payouts, m.total_commissions, m.net_balance, m.total_paid, m.total_collected,
  m.opening_balance, m.remaining_balance, m.closed_at, m.closed_by`;

export interface ClosingEntryRow {
  entity_id: string;
  entity_name: string | null;
  banca_id: string;
  ticket_count: number;
  total_sales: string;
  total_payouts: string;
  total_commissions: string;
  net_balance: string;
  total_paid: string;
  total_collected: string;
  opening_balance: string;
  remaining_balance: string;
  closed_at: Date;
  closed_by: string | null;
}

/** Only the three dimensions, the two orders and a well-formed month reach the SQL text. */
function checked(listing: ClosingListing): ClosingListing {
  if (!Object.hasOwn(ENTITY_TABLES, listing.dimension) || !Object.hasOwn(SORT_KEYS, listing.sort) || !['asc', 'desc'].includes(listing.order) || !MONTH.test(listing.month)) {
    throw new Error(`not a closing listing: ${JSON.stringify(listing)}`);
  }
  return listing;
}

/** One page of a listing after a position: keyset on (sort key, entity id), in the listing's direction. */
export function closingPageQuery(listing: ClosingListing, after: ClosingPosition | null, limit: number): { sql: string; bindings: Knex.RawBinding[] } {
  const { dimension, sort, order } = checked(listing);
  const key = SORT_KEYS[sort];
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const keyset = after === null ? '' : `AND (${key.expression}, m.entity_id) ${order === 'asc' ? '>' : '<'} (${key.cursor}, ?::uuid)`;
  return {
    sql: `SELECT ${COLUMNS}
      FROM monthly_closing_balances m
      LEFT JOIN ${ENTITY_TABLES[dimension]} e ON e.id = m.entity_id
      WHERE m.closing_month = ? AND m.dimension = ? ${keyset}
      ORDER BY ${key.expression} ${direction}, m.entity_id ${direction}
      LIMIT ?`,
    bindings: [listing.month, dimension, ...(after === null ? [] : [after.sortValue, after.entityId]), limit],
  };
}

/**
 * The whole listing, for a server-side cursor (DECLARE takes no parameters, so the month, dimension,
 * sort and order are checked literals).
 */
export function closingExportSql(listing: ClosingListing): string {
  const { month, dimension, sort, order } = checked(listing);
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  return `SELECT ${COLUMNS}
    FROM monthly_closing_balances m
    LEFT JOIN ${ENTITY_TABLES[dimension]} e ON e.id = m.entity_id
    WHERE m.closing_month = '${month}' AND m.dimension = '${dimension}'
    ORDER BY ${SORT_KEYS[sort].expression} ${direction}, m.entity_id ${direction}`;
}

export const CLOSING_TOTALS_SQL = `
  SELECT count(*)::int AS entities, coalesce(sum(ticket_count), 0)::bigint AS ticket_count,
    coalesce(sum(total_sales), 0) AS total_sales, coalesce(sum(total_payouts), 0) AS total_payouts,
    coalesce(sum(total_commissions), 0) AS total_commissions, coalesce(sum(net_balance), 0) AS net_balance,
    coalesce(sum(total_paid), 0) AS total_paid, coalesce(sum(total_collected), 0) AS total_collected,
    coalesce(sum(opening_balance), 0) AS opening_balance, coalesce(sum(remaining_balance), 0) AS remaining_balance
  FROM monthly_closing_balances WHERE closing_month = ? AND dimension = ?`;
