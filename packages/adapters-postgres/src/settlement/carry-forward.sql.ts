/**
 * Carry-forward in one statement (docs/architecture.md, The banca rules); bindings: today, today. Candidates are the active
 * entities whose latest statement before today has a non-zero remaining balance; the unique
 * (dimension, entity_id, date) key turns an existing row for today, even one a concurrent run is
 * inserting, into a skip.
 */
export const CARRY_FORWARD_SQL = `
WITH entities AS (
  SELECT 'vendedor'::text AS dimension, id AS entity_id, id AS vendedor_id, ventana_id, banca_id FROM vendedores WHERE is_active
  UNION ALL
  SELECT 'ventana', id, NULL::uuid, id, banca_id FROM ventanas WHERE is_active
  UNION ALL
  SELECT 'banca', id, NULL::uuid, NULL::uuid, id FROM bancas WHERE is_active
),
candidates AS (
  SELECT e.vendedor_id, e.ventana_id, e.banca_id, latest.remaining_balance
  FROM entities e
  JOIN LATERAL (
    SELECT s.remaining_balance FROM account_statements s
    WHERE s.dimension = e.dimension AND s.entity_id = e.entity_id AND s.date < ?::date
    ORDER BY s.date DESC
    LIMIT 1
  ) latest ON true
  WHERE latest.remaining_balance <> 0
),
created AS (
  INSERT INTO account_statements (date, vendedor_id, ventana_id, banca_id, remaining_balance)
  SELECT ?::date, vendedor_id, ventana_id, banca_id, remaining_balance FROM candidates
  ON CONFLICT (dimension, entity_id, date) DO NOTHING
  RETURNING id
)
SELECT (SELECT count(*) FROM candidates)::int AS candidates, (SELECT count(*) FROM created)::int AS created
`;
