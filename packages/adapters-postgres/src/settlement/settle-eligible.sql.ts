/**
 * Settles one batch in a single statement (design §4, Settlement); bindings: cutoff, batch size,
 * settled_at, settled_by. A single statement is one atomic step: either the whole batch settles or none.
 *
 * - `batch` locks the oldest eligible rows, skipping rows another run holds; a row that run settled
 *   meanwhile fails the `NOT is_settled` re-check and is left out too.
 * - `ready` holds back a row while an older unsettled row with activity of the same entity is outside
 *   the batch (another run holds it): its new remaining balance is not known yet, so building on the
 *   stored one would be wrong. The later run picks such rows up.
 * - The running balance is computed as a window over runs of consecutive statements of one entity
 *   that settle together: a run starts from the remaining balance stored on the statement just before
 *   it (0 when none), each later row adds its day to the new value of the row before it.
 */
export const SETTLE_ELIGIBLE_SQL = `
WITH batch AS (
  SELECT id, dimension, entity_id, date, balance
  FROM account_statements
  WHERE NOT is_settled AND date < ?::date
    AND (ticket_count > 0 OR total_paid > 0 OR total_collected > 0)
  ORDER BY date, id
  LIMIT ?
  FOR UPDATE SKIP LOCKED
),
ready AS (
  SELECT b.* FROM batch b
  WHERE NOT EXISTS (
    SELECT 1 FROM account_statements older
    WHERE older.dimension = b.dimension AND older.entity_id = b.entity_id AND older.date < b.date
      AND NOT older.is_settled
      AND (older.ticket_count > 0 OR older.total_paid > 0 OR older.total_collected > 0)
      AND NOT EXISTS (SELECT 1 FROM batch mine WHERE mine.id = older.id)
  )
),
movement_totals AS (
  SELECT r.id,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS total_paid,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS total_collected
  FROM ready r
  LEFT JOIN account_movements m
    ON m.dimension = r.dimension AND m.entity_id = r.entity_id AND m.date = r.date AND NOT m.is_reversed
  GROUP BY r.id
),
linked AS (
  SELECT r.id, r.dimension, r.entity_id, r.date, t.total_paid, t.total_collected,
    r.balance - t.total_collected + t.total_paid AS day_change,
    (previous.id IS NULL OR NOT EXISTS (SELECT 1 FROM ready p WHERE p.id = previous.id)) AS starts_run,
    coalesce(previous.remaining_balance, 0) AS previous_remaining
  FROM ready r
  JOIN movement_totals t ON t.id = r.id
  LEFT JOIN LATERAL (
    SELECT s.id, s.remaining_balance FROM account_statements s
    WHERE s.dimension = r.dimension AND s.entity_id = r.entity_id AND s.date < r.date
    ORDER BY s.date DESC
    LIMIT 1
  ) previous ON true
),
runs AS (
  SELECT linked.*,
    count(*) FILTER (WHERE starts_run) OVER (PARTITION BY dimension, entity_id ORDER BY date) AS run
  FROM linked
),
computed AS (
  SELECT id, total_paid, total_collected,
    sum(CASE WHEN starts_run THEN previous_remaining ELSE 0 END + day_change)
      OVER (PARTITION BY dimension, entity_id, run ORDER BY date) AS remaining_balance
  FROM runs
),
settled AS (
  UPDATE account_statements s
  SET total_paid = c.total_paid,
      total_collected = c.total_collected,
      remaining_balance = c.remaining_balance,
      is_settled = true,
      can_edit = false,
      settled_at = ?::timestamptz,
      settled_by = ?::text,
      updated_at = now()
  FROM computed c
  WHERE s.id = c.id AND NOT s.is_settled
  RETURNING s.id
)
SELECT (SELECT count(*) FROM batch)::int AS picked, (SELECT count(*) FROM settled)::int AS settled
`;

/** The eligibility rule of isEligibleForSettlement; binding: cutoff. */
export const COUNT_ELIGIBLE_SQL = `
SELECT count(*)::int AS eligible
FROM account_statements
WHERE NOT is_settled AND date < ?::date
  AND (ticket_count > 0 OR total_paid > 0 OR total_collected > 0)
`;
