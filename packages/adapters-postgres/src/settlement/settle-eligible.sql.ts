/** No settled statement of the row's entity on or after its day (the settled partial index of 015). */
const NOT_BEFORE_SETTLED = (row: string) => `NOT EXISTS (
    SELECT 1 FROM account_statements settled
    WHERE settled.dimension = ${row}.dimension AND settled.entity_id = ${row}.entity_id AND settled.date >= ${row}.date AND settled.is_settled
  )`;

/**
 * The days settlement may take, as a query of (date, dimension, entity_id); bindings: cutoff, cutoff.
 * A day is eligible (see docs/decisions.md, "The settlement chain") when it is before the cutoff, after
 * the entity's latest settled statement, and has an unsettled statement with activity or movements
 * not reversed that no settled statement counted yet. Both sources are read from partial indexes in
 * (date, dimension, entity_id) order.
 */
const UNSETTLED_STATEMENT_DAYS = `
  SELECT a.date, a.dimension, a.entity_id FROM account_statements a
  WHERE NOT a.is_settled AND a.date < ?::date AND (a.ticket_count > 0 OR a.total_paid > 0 OR a.total_collected > 0)
    AND ${NOT_BEFORE_SETTLED('a')}`;

// A day has one row however many movements it holds, so a batch's LIMIT counts days.
const UNCOUNTED_MOVEMENT_DAYS = `
  SELECT DISTINCT a.date, a.dimension, a.entity_id FROM account_movements a
  WHERE a.statement_id IS NULL AND NOT a.is_reversed AND a.date < ?::date
    AND ${NOT_BEFORE_SETTLED('a')}`;

const ELIGIBLE_DAYS = `
  SELECT DISTINCT u.date, u.dimension, u.entity_id
  FROM (${UNSETTLED_STATEMENT_DAYS} UNION ALL ${UNCOUNTED_MOVEMENT_DAYS}) u`;

/**
 * The oldest eligible days, at most a limit; bindings: cutoff, limit, cutoff, limit, limit. Each source
 * gives its oldest days from its partial index in (date, dimension, entity_id) order and the two are
 * merged, so this reads about `limit` rows of each whatever the backlog. Per entity the days are a
 * prefix of its eligible days.
 */
const OLDEST_ELIGIBLE_DAYS = `
  SELECT DISTINCT u.date, u.dimension, u.entity_id
  FROM (
    (${UNSETTLED_STATEMENT_DAYS} ORDER BY a.date, a.dimension, a.entity_id LIMIT ?)
    UNION ALL
    (${UNCOUNTED_MOVEMENT_DAYS} ORDER BY a.date, a.dimension, a.entity_id LIMIT ?)
  ) u
  ORDER BY u.date, u.dimension, u.entity_id
  LIMIT ?`;

/** How many days the next runs have to settle, all of them; bindings: cutoff, cutoff. */
export const COUNT_ELIGIBLE_SQL = `SELECT count(*)::int AS eligible FROM (${ELIGIBLE_DAYS}) eligible`;

/** How many days the next runs have to settle, counting no further than a limit; bindings: cutoff, limit, cutoff, limit, limit. */
export const COUNT_ELIGIBLE_UP_TO_SQL = `SELECT count(*)::int AS eligible FROM (${OLDEST_ELIGIBLE_DAYS}) eligible`;

/**
 * The plan of COUNT_ELIGIBLE_UP_TO_SQL, set for its transaction only: walk both partial indexes in
 * (date, dimension, entity_id) order, probe the settled index per row, and stop at the limit. The
 * planner, estimating few distinct movement days, would otherwise read every uncounted movement and
 * every settled statement through hashes and sorts, whose cost grows with the backlog and the settled
 * history; and parallel workers start slower than one process reads the limit's rows.
 */
export const BOUNDED_COUNT_PLAN = `SELECT ${Object.entries({
  max_parallel_workers_per_gather: '0',
  enable_seqscan: 'off',
  enable_hashjoin: 'off',
  enable_hashagg: 'off',
  enable_mergejoin: 'off',
  enable_sort: 'off',
})
  .map(([name, value]) => `set_config('${name}', '${value}', true)`)
  .join(', ')}`;

/**
 * Settles one batch in a single statement; bindings: cutoff, batch size, cutoff, batch size, batch
 * size, then settled_at and settled_by twice. It runs inside a transaction that holds the settlement lock (see
 * KnexStatementRepository), so no other settlement or carry-forward changes a chain while it is read.
 *
 * - `days`: the oldest eligible days, at most the batch size (OLDEST_ELIGIBLE_DAYS). Per entity they
 *   are a prefix of its eligible days, so nothing older of the entity is left out, and a batch reads
 *   about a batch of rows whatever the backlog.
 * - `locked`, `held`, `ready`: the days' existing statements are locked, skipping rows another writer
 *   holds; such a day and the entity's later days wait for the next run.
 * - `spans`: per entity, the statement before its first ready day gives the base (0 when none); the
 *   span runs to the first statement with activity (or settled) after its last ready day.
 * - `chain`: every statement of the span, plus the ready days without a statement. Ready days count
 *   their movements not reversed; the others (statements without activity) count their stored figures.
 *   The running sum gives every remaining balance of the span.
 * - `inserted`, `settled`: the ready days, settled (a day with movements only gets its statement);
 *   `followed`: the span's statements without activity take their new balance; `counted`: the
 *   settled days' movements are marked with their statement.
 */
export const SETTLE_ELIGIBLE_SQL = `
WITH days AS MATERIALIZED (${OLDEST_ELIGIBLE_DAYS}),
locked AS (
  SELECT s.id, s.dimension, s.entity_id, s.date, s.balance
  FROM account_statements s
  JOIN days d ON d.dimension = s.dimension AND d.entity_id = s.entity_id AND d.date = s.date
  WHERE NOT s.is_settled
  FOR UPDATE OF s SKIP LOCKED
),
held AS (
  SELECT s.dimension, s.entity_id, min(s.date) AS from_date
  FROM account_statements s
  JOIN days d ON d.dimension = s.dimension AND d.entity_id = s.entity_id AND d.date = s.date
  WHERE s.id NOT IN (SELECT l.id FROM locked l)
  GROUP BY s.dimension, s.entity_id
),
ready AS (
  SELECT d.dimension, d.entity_id, d.date, l.id, l.balance
  FROM days d
  LEFT JOIN locked l ON l.dimension = d.dimension AND l.entity_id = d.entity_id AND l.date = d.date
  LEFT JOIN held h ON h.dimension = d.dimension AND h.entity_id = d.entity_id
  WHERE h.from_date IS NULL OR d.date < h.from_date
),
bounds AS (
  SELECT dimension, entity_id, min(date) AS first_date, max(date) AS last_date
  FROM ready
  GROUP BY dimension, entity_id
),
spans AS (
  SELECT b.dimension, b.entity_id, b.first_date, least(stop.date, h.from_date) AS stop_date,
    coalesce(base.remaining_balance, 0) AS base_remaining
  FROM bounds b
  LEFT JOIN held h ON h.dimension = b.dimension AND h.entity_id = b.entity_id
  LEFT JOIN LATERAL (
    SELECT s.remaining_balance FROM account_statements s
    WHERE s.dimension = b.dimension AND s.entity_id = b.entity_id AND s.date < b.first_date
    ORDER BY s.date DESC
    LIMIT 1
  ) base ON true
  LEFT JOIN LATERAL (
    SELECT s.date FROM account_statements s
    WHERE s.dimension = b.dimension AND s.entity_id = b.entity_id AND s.date > b.last_date
      AND (s.is_settled OR s.ticket_count > 0 OR s.total_paid > 0 OR s.total_collected > 0)
    ORDER BY s.date
    LIMIT 1
  ) stop ON true
),
movement_totals AS (
  SELECT r.dimension, r.entity_id, r.date,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS total_paid,
    coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS total_collected,
    (array_agg(m.vendedor_id))[1] AS vendedor_id,
    (array_agg(m.ventana_id))[1] AS ventana_id,
    (array_agg(m.banca_id))[1] AS banca_id
  FROM ready r
  LEFT JOIN account_movements m
    ON m.dimension = r.dimension AND m.entity_id = r.entity_id AND m.date = r.date AND NOT m.is_reversed
  GROUP BY r.dimension, r.entity_id, r.date
),
chain AS (
  SELECT r.id, r.dimension, r.entity_id, r.date, true AS settles,
    coalesce(r.balance, 0) - t.total_collected + t.total_paid AS day_change
  FROM ready r
  JOIN movement_totals t ON t.dimension = r.dimension AND t.entity_id = r.entity_id AND t.date = r.date
  UNION ALL
  SELECT s.id, s.dimension, s.entity_id, s.date, false, s.balance - s.total_collected + s.total_paid
  FROM spans sp
  JOIN account_statements s
    ON s.dimension = sp.dimension AND s.entity_id = sp.entity_id AND s.date >= sp.first_date
    AND s.date < coalesce(sp.stop_date, 'infinity'::date)
  WHERE NOT EXISTS (SELECT 1 FROM ready r WHERE r.dimension = s.dimension AND r.entity_id = s.entity_id AND r.date = s.date)
),
computed AS (
  SELECT c.id, c.dimension, c.entity_id, c.date, c.settles,
    sp.base_remaining + sum(c.day_change) OVER (PARTITION BY c.dimension, c.entity_id ORDER BY c.date) AS remaining_balance
  FROM chain c
  JOIN spans sp ON sp.dimension = c.dimension AND sp.entity_id = c.entity_id
),
inserted AS (
  INSERT INTO account_statements (date, vendedor_id, ventana_id, banca_id, total_paid, total_collected, remaining_balance,
                                  is_settled, can_edit, settled_at, settled_by)
  SELECT c.date, t.vendedor_id, t.ventana_id, t.banca_id, t.total_paid, t.total_collected, c.remaining_balance,
    true, false, ?::timestamptz, ?::text
  FROM computed c
  JOIN movement_totals t ON t.dimension = c.dimension AND t.entity_id = c.entity_id AND t.date = c.date
  WHERE c.settles AND c.id IS NULL
  RETURNING id, dimension, entity_id, date
),
settled AS (
  UPDATE account_statements s
  SET total_paid = t.total_paid,
      total_collected = t.total_collected,
      remaining_balance = c.remaining_balance,
      is_settled = true,
      can_edit = false,
      settled_at = ?::timestamptz,
      settled_by = ?::text,
      updated_at = now()
  FROM computed c
  JOIN movement_totals t ON t.dimension = c.dimension AND t.entity_id = c.entity_id AND t.date = c.date
  WHERE s.id = c.id AND c.settles AND NOT s.is_settled
  RETURNING s.id, s.dimension, s.entity_id, s.date
),
followed AS (
  UPDATE account_statements s
  SET remaining_balance = c.remaining_balance, updated_at = now()
  FROM computed c
  WHERE s.id = c.id AND NOT c.settles AND NOT s.is_settled
    AND s.ticket_count = 0 AND s.total_paid = 0 AND s.total_collected = 0
    AND s.remaining_balance <> c.remaining_balance
  RETURNING s.id
),
counted AS (
  UPDATE account_movements m
  SET statement_id = x.id
  FROM (SELECT * FROM inserted UNION ALL SELECT * FROM settled) x
  WHERE m.dimension = x.dimension AND m.entity_id = x.entity_id AND m.date = x.date
    AND NOT m.is_reversed AND m.statement_id IS NULL
  RETURNING m.id
)
SELECT (SELECT count(*) FROM days)::int AS picked,
  ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM settled))::int AS settled,
  (SELECT count(*) FROM followed)::int AS followed,
  (SELECT count(*) FROM counted)::int AS counted
`;
