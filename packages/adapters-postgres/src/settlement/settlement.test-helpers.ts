import type { Knex } from 'knex';
import { nextRemainingBalance, statementBalance } from '@banca/domain';
import type { GivenStatement, SettlementContractHarness, StatementRow } from '@banca/domain/testing';
import type { MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from './banca-fixtures.test-helpers';
import { KnexSettlementConfigRepository } from './knex-settlement-config.repository';
import { KnexStatementRepository } from './knex-statement.repository';

const STATEMENT_COLUMNS = `
  id, vendedor_id AS "vendedorId", ventana_id AS "ventanaId", banca_id AS "bancaId", date::text AS date,
  ticket_count AS "ticketCount", total_sales AS "totalSales", total_payouts AS "totalPayouts",
  total_commissions AS "totalCommissions", balance, total_paid AS "totalPaid", total_collected AS "totalCollected",
  remaining_balance AS "remainingBalance", is_settled AS "isSettled", can_edit AS "canEdit",
  settled_at AS "settledAt", settled_by AS "settledBy"`;

/**
 * Every statement as the contract reads it. The date is read as text because an in-memory PGlite
 * (createPgliteKnex() without a folder) does not get the date parser.
 */
export async function readStatements(db: Knex): Promise<StatementRow[]> {
  const { rows } = await db.raw(`SELECT ${STATEMENT_COLUMNS} FROM account_statements ORDER BY date, id`);
  return rows as StatementRow[];
}

/** Writes a statement with the defaults GivenStatement documents. */
export async function insertStatement(db: Knex, input: GivenStatement): Promise<string> {
  const zero = '0.00';
  const sales = { totalSales: input.totalSales ?? zero, totalPayouts: input.totalPayouts ?? zero, totalCommissions: input.totalCommissions ?? zero };
  const balance = input.balance ?? statementBalance(sales);
  const totalPaid = input.totalPaid ?? zero;
  const totalCollected = input.totalCollected ?? zero;
  const [row] = await db('account_statements')
    .insert({
      vendedor_id: input.vendedorId ?? null,
      ventana_id: input.ventanaId ?? null,
      banca_id: input.bancaId,
      date: input.date,
      ticket_count: input.ticketCount ?? 0,
      total_sales: sales.totalSales,
      total_payouts: sales.totalPayouts,
      total_commissions: sales.totalCommissions,
      balance,
      total_paid: totalPaid,
      total_collected: totalCollected,
      remaining_balance: input.remainingBalance ?? nextRemainingBalance(null, { balance, totalPaid, totalCollected }),
      is_settled: input.isSettled ?? false,
      can_edit: input.canEdit ?? true,
      settled_at: input.settledAt ?? null,
      settled_by: input.settledBy ?? null,
    })
    .returning('id');
  return row.id as string;
}

/** The settlement contract harness over a migrated database of the test's own. */
export function knexSettlementHarness(database: MigratedDatabase): SettlementContractHarness {
  const db = database.knex;
  return {
    ...knexBancaFixtures(db),
    configRepository: new KnexSettlementConfigRepository(db),
    statementRepository: new KnexStatementRepository(db),
    // settled_by is free text (an id from the users service), so any fresh id will do.
    givenUser: async () => (await db.raw('SELECT gen_random_uuid()::text AS id')).rows[0].id as string,
    givenStatement: (input) => insertStatement(db, input),
    configUpdatedBy: async () => ((await db('account_statement_settlement_config').first('updated_by')) as { updated_by: string | null } | undefined)?.updated_by ?? null,
    statements: () => readStatements(db),
    close: () => database.close(),
  };
}
