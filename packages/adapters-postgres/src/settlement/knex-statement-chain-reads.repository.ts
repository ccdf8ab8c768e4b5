import type { Knex } from 'knex';
import type { AccountDimension } from '@banca/domain';
import type { StatementChainEntry, StatementChainQuery, StatementChainReadRepository } from '@banca/domain/ports';

const ENTITY_TABLES: Record<AccountDimension, string> = { vendedor: 'vendedores', ventana: 'ventanas', banca: 'bancas' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page of one entity's chain on the unique (dimension, entity_id, date): each statement with the
 * remaining balance of the one before it, looked up on the same index, so a page starting mid-chain
 * (or mid-range) still knows what it follows from.
 */
const CHAIN_SQL = `
  SELECT s.date, s.ticket_count, s.total_sales, s.total_payouts, s.total_commissions, s.balance,
    s.total_paid, s.total_collected, s.remaining_balance, s.is_settled, s.settled_at, s.settled_by,
    (SELECT p.remaining_balance FROM account_statements p
      WHERE p.dimension = s.dimension AND p.entity_id = s.entity_id AND p.date < s.date
      ORDER BY p.date DESC LIMIT 1) AS previous_remaining
  FROM account_statements s
  WHERE s.dimension = ? AND s.entity_id = ? AND s.date >= ?::date AND s.date <= ?::date AND s.date > coalesce(?::date, '-infinity'::date)
  ORDER BY s.date
  LIMIT ?`;

interface ChainRow {
  date: string;
  ticket_count: number;
  total_sales: string;
  total_payouts: string;
  total_commissions: string;
  balance: string;
  total_paid: string;
  total_collected: string;
  remaining_balance: string;
  is_settled: boolean;
  settled_at: Date | null;
  settled_by: string | null;
  previous_remaining: string | null;
}

/** The operators' read of a statement chain (docs/architecture.md, Account statements). */
export class KnexStatementChainReadRepository implements StatementChainReadRepository {
  constructor(private readonly db: Knex) {}

  async findEntity(dimension: AccountDimension, entityId: string): Promise<{ name: string } | null> {
    if (!Object.hasOwn(ENTITY_TABLES, dimension) || !UUID.test(entityId)) return null;
    const { rows } = await this.db.raw<{ rows: Array<{ name: string }> }>(`SELECT name FROM ${ENTITY_TABLES[dimension]} WHERE id = ?`, [entityId]);
    return rows[0] ? { name: rows[0].name } : null;
  }

  async statementChain({ dimension, entityId, from, to, afterDate, limit }: StatementChainQuery): Promise<StatementChainEntry[]> {
    if (!UUID.test(entityId) || limit < 1) return [];
    const { rows } = await this.db.raw<{ rows: ChainRow[] }>(CHAIN_SQL, [dimension, entityId, from, to, afterDate, Math.floor(limit)]);
    return rows.map((row) => ({
      date: row.date,
      ticketCount: row.ticket_count,
      totalSales: row.total_sales,
      totalPayouts: row.total_payouts,
      totalCommissions: row.total_commissions,
      balance: row.balance,
      totalPaid: row.total_paid,
      totalCollected: row.total_collected,
      remainingBalance: row.remaining_balance,
      isSettled: row.is_settled,
      settledAt: row.settled_at,
      settledBy: row.settled_by,
      previousRemaining: row.previous_remaining,
    }));
  }
}
