import type { Knex } from 'knex';

/** How each dimension's statement is keyed and which commission it carries (docs/architecture.md, The banca rules). */
const DIMENSIONS = {
  vendedor: { ticketEntity: 'vendedor_id', commission: 'commission_amount', owner: 'JOIN vendedores o ON o.id = d.entity_id', ids: 'o.id, o.ventana_id, o.banca_id' },
  ventana: { ticketEntity: 'ventana_id', commission: 'listero_commission_amount', owner: 'JOIN ventanas o ON o.id = d.entity_id', ids: 'NULL::uuid, o.id, o.banca_id' },
  banca: { ticketEntity: 'banca_id', commission: 'listero_commission_amount', owner: 'JOIN bancas o ON o.id = d.entity_id', ids: 'NULL::uuid, NULL::uuid, o.id' },
} as const;

/**
 * The daily account statements of the demo entities, computed from their tickets and movements with
 * the running remaining balance of docs/architecture.md (The banca rules). Days before `settledBefore` are settled (the job ran
 * then, eight days after each); the rest are open, some of them already old enough to settle.
 */
export async function insertDemoStatements(trx: Knex.Transaction, bancaIds: string[], days: Array<{ day: string; settledAt: string | null }>): Promise<void> {
  for (const [dimension, shape] of Object.entries(DIMENSIONS)) {
    await trx.raw(
      `
      INSERT INTO account_statements (id, date, vendedor_id, ventana_id, banca_id, ticket_count, total_sales, total_payouts,
                                      total_commissions, balance, total_paid, total_collected, remaining_balance,
                                      is_settled, can_edit, settled_at)
      WITH t AS (
        SELECT ${shape.ticketEntity} AS entity_id, business_date AS date, count(*)::int AS ticket_count,
               sum(total_amount) AS sales, sum(total_payout) AS payouts, sum(${shape.commission}) AS commissions
        FROM tickets WHERE banca_id = ANY(?::uuid[]) AND status NOT IN ('CANCELLED', 'EXCLUDED')
        GROUP BY 1, 2
      ), m AS (
        SELECT entity_id, date, sum(amount) FILTER (WHERE type = 'payment') AS paid, sum(amount) FILTER (WHERE type = 'collection') AS collected
        FROM account_movements WHERE banca_id = ANY(?::uuid[]) AND dimension = ? AND NOT is_reversed
        GROUP BY 1, 2
      ), d AS (
        SELECT entity_id, date, coalesce(ticket_count, 0) AS ticket_count, coalesce(sales, 0) AS sales,
               coalesce(payouts, 0) AS payouts, coalesce(commissions, 0) AS commissions,
               coalesce(paid, 0) AS paid, coalesce(collected, 0) AS collected
        FROM t FULL JOIN m USING (entity_id, date)
      )
      SELECT md5('banca-demo:statement:' || ? || d.entity_id::text || d.date::text)::uuid, d.date, ${shape.ids},
             d.ticket_count, d.sales, d.payouts, d.commissions, d.sales - d.payouts - d.commissions, d.paid, d.collected,
             sum(d.sales - d.payouts - d.commissions - d.collected + d.paid) OVER (PARTITION BY d.entity_id ORDER BY d.date),
             s.settled_at IS NOT NULL, s.settled_at IS NULL, s.settled_at
      FROM d ${shape.owner}
      JOIN jsonb_to_recordset(?::jsonb) AS s(day date, settled_at timestamptz) ON s.day = d.date
      ON CONFLICT DO NOTHING
      `,
      [bancaIds, bancaIds, dimension, dimension, JSON.stringify(days.map(({ day, settledAt }) => ({ day, settled_at: settledAt })))],
    );
  }
}
