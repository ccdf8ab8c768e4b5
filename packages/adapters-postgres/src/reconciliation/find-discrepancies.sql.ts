/**
 * Every discrepancy of a month in one read-only statement; bindings, in order: firstDay, lastDay,
 * dimension, entityId, month, previousMonth, limit. A null dimension or entity id matches all. Each kind is a set-based query over the month's statements,
 * movements and balances (never the tickets): the statement before the month is looked up only for
 * each entity's first statement of the month. `found` carries the figures as text with two decimals, so amounts stay exact.
 */
export const FIND_DISCREPANCIES_SQL = `
WITH params AS (
  SELECT ?::date AS first_day, ?::date AS last_day, ?::text AS dimension, ?::uuid AS entity_id, ?::text AS month, ?::text AS previous_month
),
month_statements AS (
  SELECT s.dimension, s.entity_id, s.date, s.balance, s.total_paid, s.total_collected, s.remaining_balance, s.is_settled,
    (s.is_settled OR (s.ticket_count = 0 AND s.total_paid = 0 AND s.total_collected = 0)) AS bound,
    lag(s.date) OVER w AS lag_date, lag(s.remaining_balance) OVER w AS lag_remaining
  FROM account_statements s, params p
  WHERE s.date BETWEEN p.first_day AND p.last_day
    AND (p.dimension IS NULL OR s.dimension = p.dimension)
    AND (p.entity_id IS NULL OR s.entity_id = p.entity_id)
  WINDOW w AS (PARTITION BY s.dimension, s.entity_id ORDER BY s.date)
),
chain AS (
  SELECT r.dimension, r.entity_id, r.date,
    coalesce(r.lag_date, before.date) AS previous_date,
    coalesce(r.lag_remaining, before.remaining_balance, 0) AS previous_remaining,
    coalesce(r.lag_remaining, before.remaining_balance, 0) + r.balance - r.total_collected + r.total_paid AS expected_remaining,
    r.remaining_balance AS stored_remaining
  FROM month_statements r
  CROSS JOIN params p
  LEFT JOIN LATERAL (
    SELECT b.date, b.remaining_balance FROM account_statements b
    WHERE r.lag_date IS NULL AND b.dimension = r.dimension AND b.entity_id = r.entity_id AND b.date < p.first_day
    ORDER BY b.date DESC
    LIMIT 1
  ) before ON true
  WHERE r.bound
),
movement_days AS (
  SELECT m.dimension, m.entity_id, m.date,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS paid,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS collected
  FROM account_movements m, params p
  WHERE m.date BETWEEN p.first_day AND p.last_day AND NOT m.is_reversed
    AND (p.dimension IS NULL OR m.dimension = p.dimension)
    AND (p.entity_id IS NULL OR m.entity_id = p.entity_id)
  GROUP BY m.dimension, m.entity_id, m.date
),
movement_checks AS (
  SELECT coalesce(s.dimension, d.dimension) AS dimension, coalesce(s.entity_id, d.entity_id) AS entity_id, coalesce(s.date, d.date) AS date,
    s.date IS NOT NULL AS settled,
    coalesce(s.total_paid, 0) AS stored_paid, coalesce(d.paid, 0) AS movements_paid,
    coalesce(s.total_collected, 0) AS stored_collected, coalesce(d.collected, 0) AS movements_collected
  FROM (SELECT * FROM month_statements WHERE is_settled) s
  FULL JOIN movement_days d ON d.dimension = s.dimension AND d.entity_id = s.entity_id AND d.date = s.date
),
movements AS (
  SELECT c.* FROM movement_checks c
  WHERE (c.settled AND (c.stored_paid <> c.movements_paid OR c.stored_collected <> c.movements_collected))
     OR (NOT c.settled AND EXISTS (
       SELECT 1 FROM account_statements later
       WHERE later.dimension = c.dimension AND later.entity_id = c.entity_id AND later.date > c.date AND later.is_settled
     ))
),
closings AS (
  SELECT c.* FROM monthly_closing_balances c, params p
  WHERE c.closing_month = p.month
    AND (p.dimension IS NULL OR c.dimension = p.dimension)
    AND (p.entity_id IS NULL OR c.entity_id = p.entity_id)
),
openings AS (
  SELECT c.dimension, c.entity_id, c.closing_month, c.opening_balance, coalesce(previous.remaining_balance, 0) AS previous_remaining
  FROM closings c
  CROSS JOIN params p
  LEFT JOIN monthly_closing_balances previous
    ON previous.closing_month = p.previous_month AND previous.dimension = c.dimension AND previous.entity_id = c.entity_id
  WHERE c.opening_balance <> coalesce(previous.remaining_balance, 0)
),
statement_sums AS (
  SELECT s.dimension, s.entity_id, sum(total_sales) AS sales, sum(total_payouts) AS payouts, sum(total_commissions) AS commissions,
    sum(total_paid) AS paid, sum(total_collected) AS collected
  FROM account_statements s, params p
  WHERE s.date BETWEEN p.first_day AND p.last_day
    AND (p.dimension IS NULL OR s.dimension = p.dimension)
    AND (p.entity_id IS NULL OR s.entity_id = p.entity_id)
  GROUP BY s.dimension, s.entity_id
),
totals AS (
  SELECT c.dimension, c.entity_id, c.closing_month, f.ord, f.field, f.closing, f.statements
  FROM closings c
  LEFT JOIN statement_sums s ON s.dimension = c.dimension AND s.entity_id = c.entity_id
  CROSS JOIN LATERAL (VALUES
    (1, 'totalSales', c.total_sales, coalesce(s.sales, 0)),
    (2, 'totalPayouts', c.total_payouts, coalesce(s.payouts, 0)),
    (3, 'totalCommissions', c.total_commissions, coalesce(s.commissions, 0)),
    (4, 'totalPaid', c.total_paid, coalesce(s.paid, 0)),
    (5, 'totalCollected', c.total_collected, coalesce(s.collected, 0))
  ) AS f(ord, field, closing, statements)
  WHERE f.closing <> f.statements
),
found AS (
  SELECT 1 AS kind_order, 'STATEMENT_CHAIN' AS kind, dimension, entity_id, date::text AS moment, 0 AS ord,
    jsonb_build_object('date', date::text, 'previousDate', previous_date::text, 'previousRemaining', previous_remaining::numeric(20,2)::text,
      'expectedRemaining', expected_remaining::numeric(20,2)::text, 'storedRemaining', stored_remaining::numeric(20,2)::text) AS figures
  FROM chain WHERE expected_remaining <> stored_remaining
  UNION ALL
  SELECT 2, 'STATEMENT_MOVEMENTS', dimension, entity_id, date::text, 0,
    jsonb_build_object('date', date::text, 'settled', settled, 'storedPaid', stored_paid::numeric(20,2)::text, 'movementsPaid', movements_paid::numeric(20,2)::text,
      'storedCollected', stored_collected::numeric(20,2)::text, 'movementsCollected', movements_collected::numeric(20,2)::text)
  FROM movements
  UNION ALL
  SELECT 3, 'CLOSING_OPENING', dimension, entity_id, closing_month, 0,
    jsonb_build_object('month', closing_month, 'openingBalance', opening_balance::numeric(20,2)::text, 'previousRemaining', previous_remaining::numeric(20,2)::text)
  FROM openings
  UNION ALL
  SELECT 4, 'CLOSING_TOTALS', dimension, entity_id, closing_month, ord,
    jsonb_build_object('month', closing_month, 'field', field, 'closing', closing::numeric(20,2)::text, 'statements', statements::numeric(20,2)::text)
  FROM totals
),
page AS (
  SELECT found.*, row_number() OVER (ORDER BY kind_order, dimension, entity_id, moment, ord) AS position
  FROM found
  ORDER BY position
  LIMIT ?
)
SELECT page.position, page.kind, page.dimension, page.entity_id::text AS entity_id, coalesce(vd.name, vt.name, b.name) AS entity_name, page.figures,
  NULL::int AS chain_count, NULL::int AS movements_count, NULL::int AS openings_count, NULL::int AS totals_count
FROM page
LEFT JOIN vendedores vd ON page.dimension = 'vendedor' AND vd.id = page.entity_id
LEFT JOIN ventanas vt ON page.dimension = 'ventana' AND vt.id = page.entity_id
LEFT JOIN bancas b ON page.dimension = 'banca' AND b.id = page.entity_id
UNION ALL
SELECT NULL, 'COUNTS', NULL, NULL, NULL, NULL,
  (SELECT count(*) FROM found WHERE kind = 'STATEMENT_CHAIN')::int,
  (SELECT count(*) FROM found WHERE kind = 'STATEMENT_MOVEMENTS')::int,
  (SELECT count(*) FROM found WHERE kind = 'CLOSING_OPENING')::int,
  (SELECT count(*) FROM found WHERE kind = 'CLOSING_TOTALS')::int
ORDER BY position NULLS LAST
`;
