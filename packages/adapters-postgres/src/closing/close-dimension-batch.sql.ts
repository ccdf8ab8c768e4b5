import type { Knex } from 'knex';
import type { ClosingDimension } from '@banca/domain';
import type { CloseDimensionBatchCommand } from '@banca/domain/ports';

/** Where each dimension's entities live, which ticket column points at them and which commission is theirs (docs/architecture.md, The banca rules). */
interface DimensionShape {
  entities: string;
  bancaId: string;
  ticketColumn: string;
  commission: string;
}

const SHAPES: Record<ClosingDimension, DimensionShape> = {
  vendedor: { entities: 'vendedores', bancaId: 'banca_id', ticketColumn: 'vendedor_id', commission: 'commission_amount' },
  ventana: { entities: 'ventanas', bancaId: 'banca_id', ticketColumn: 'ventana_id', commission: 'listero_commission_amount' },
  banca: { entities: 'bancas', bancaId: 'id', ticketColumn: 'banca_id', commission: 'listero_commission_amount' },
};

export const isClosingDimension = (value: unknown): value is ClosingDimension => typeof value === 'string' && Object.hasOwn(SHAPES, value);

/** The statement of closeDimensionBatchSql with its bindings, in order. */
export function closeDimensionBatchQuery(command: CloseDimensionBatchCommand): { sql: string; bindings: Knex.RawBinding[] } {
  const { dimension } = command;
  return {
    sql: closeDimensionBatchSql(dimension),
    bindings: [
      command.afterEntityId,
      command.afterEntityId,
      command.limit,
      command.firstDay,
      command.lastDay,
      dimension,
      command.firstDay,
      command.lastDay,
      command.previousMonth,
      dimension,
      command.month,
      dimension,
      command.closedAt.toISOString(),
      command.closedBy,
      monthIndex(command.month),
      dimension,
      command.month,
    ],
  };
}

/** `YYYY-MM` as a count of months, so consecutive months differ by one. */
const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));

/**
 * One page of a dimension closed in a single statement (bindings: see closeDimensionBatchQuery).
 *
 * Tickets are summed per entity before the join, over the month's business dates and only for the
 * page's entities, so the planner can drive the scan from an index on (entity column, business_date)
 * or on business_date; no ticket leaves the database. Movements count for their own entity only
 * (the generated dimension + entity_id). Every entity of the page gets a row, activity or not.
 * The page's rows of later months already closed, as long as the months follow one another without
 * a gap (`gap` = 0), take their opening from the month before: a running sum from this month's new
 * remaining balance.
 */
function closeDimensionBatchSql(dimension: ClosingDimension): string {
  const shape = SHAPES[dimension];
  return `
WITH page AS (
  SELECT id AS entity_id, ${shape.bancaId} AS banca_id
  FROM ${shape.entities}
  WHERE is_active AND (?::uuid IS NULL OR id > ?::uuid)
  ORDER BY id
  LIMIT ?
),
sales AS (
  SELECT t.${shape.ticketColumn} AS entity_id,
    count(*) AS ticket_count,
    sum(t.total_amount) AS total_sales,
    sum(t.total_payout) AS total_payouts,
    sum(t.${shape.commission}) AS total_commissions
  FROM tickets t
  WHERE t.${shape.ticketColumn} IN (SELECT entity_id FROM page)
    AND t.business_date BETWEEN ?::date AND ?::date
    AND t.status NOT IN ('CANCELLED', 'EXCLUDED')
  GROUP BY t.${shape.ticketColumn}
),
movements AS (
  SELECT m.entity_id,
    sum(m.amount) FILTER (WHERE m.type = 'payment') AS total_paid,
    sum(m.amount) FILTER (WHERE m.type = 'collection') AS total_collected
  FROM account_movements m
  WHERE m.dimension = ? AND m.entity_id IN (SELECT entity_id FROM page)
    AND m.date BETWEEN ?::date AND ?::date
    AND NOT m.is_reversed
  GROUP BY m.entity_id
),
balances AS (
  SELECT p.entity_id, p.banca_id,
    coalesce(s.ticket_count, 0) AS ticket_count,
    coalesce(s.total_sales, 0) AS total_sales,
    coalesce(s.total_payouts, 0) AS total_payouts,
    coalesce(s.total_commissions, 0) AS total_commissions,
    coalesce(mv.total_paid, 0) AS total_paid,
    coalesce(mv.total_collected, 0) AS total_collected,
    coalesce(opening.remaining_balance, 0) AS opening_balance
  FROM page p
  LEFT JOIN sales s ON s.entity_id = p.entity_id
  LEFT JOIN movements mv ON mv.entity_id = p.entity_id
  LEFT JOIN monthly_closing_balances opening
    ON opening.closing_month = ? AND opening.dimension = ? AND opening.entity_id = p.entity_id
),
upserted AS (
  INSERT INTO monthly_closing_balances (
    closing_month, dimension, entity_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions,
    net_balance, total_paid, total_collected, opening_balance, remaining_balance, closed_at, closed_by
  )
  SELECT ?, ?, b.entity_id, b.banca_id, b.ticket_count, b.total_sales, b.total_payouts, b.total_commissions,
    b.total_sales - b.total_payouts - b.total_commissions,
    b.total_paid, b.total_collected, b.opening_balance,
    b.opening_balance + (b.total_sales - b.total_payouts - b.total_commissions) - b.total_collected + b.total_paid,
    ?::timestamptz, ?::text
  FROM balances b
  ON CONFLICT (closing_month, dimension, entity_id) DO UPDATE SET
    banca_id = EXCLUDED.banca_id,
    ticket_count = EXCLUDED.ticket_count,
    total_sales = EXCLUDED.total_sales,
    total_payouts = EXCLUDED.total_payouts,
    total_commissions = EXCLUDED.total_commissions,
    net_balance = EXCLUDED.net_balance,
    total_paid = EXCLUDED.total_paid,
    total_collected = EXCLUDED.total_collected,
    opening_balance = EXCLUDED.opening_balance,
    remaining_balance = EXCLUDED.remaining_balance,
    closed_at = EXCLUDED.closed_at,
    closed_by = EXCLUDED.closed_by
  RETURNING entity_id, remaining_balance
),
later AS (
  SELECT c.id,
    u.remaining_balance + sum(c.change) OVER (PARTITION BY c.entity_id ORDER BY c.closing_month) - c.change AS opening_balance,
    u.remaining_balance + sum(c.change) OVER (PARTITION BY c.entity_id ORDER BY c.closing_month) AS remaining_balance
  FROM (
    SELECT l.id, l.entity_id, l.closing_month, l.net_balance - l.total_collected + l.total_paid AS change,
      substr(l.closing_month, 1, 4)::int * 12 + substr(l.closing_month, 6, 2)::int - ?::int
        - row_number() OVER (PARTITION BY l.entity_id ORDER BY l.closing_month) AS gap
    FROM monthly_closing_balances l
    WHERE l.dimension = ? AND l.closing_month > ? AND l.entity_id IN (SELECT entity_id FROM page)
  ) c
  JOIN upserted u ON u.entity_id = c.entity_id
  WHERE c.gap = 0
),
followed AS (
  UPDATE monthly_closing_balances m
  SET opening_balance = l.opening_balance, remaining_balance = l.remaining_balance
  FROM later l
  WHERE m.id = l.id AND m.opening_balance <> l.opening_balance
  RETURNING m.id
)
SELECT (SELECT count(*) FROM upserted)::int AS processed,
  (SELECT count(*) FROM followed)::int AS later_rows_updated,
  (SELECT entity_id::text FROM page ORDER BY entity_id DESC LIMIT 1) AS last_entity_id
`;
}
