import type { Knex } from 'knex';
import type { ClosingRow, GivenClosingTicket, MonthlyClosingContractHarness } from '@banca/domain/testing';
import type { MigratedDatabase } from '../testing/migrated-database';
import { knexBancaFixtures } from '../settlement/banca-fixtures.test-helpers';
import { KnexMonthlyClosingRepository } from './knex-monthly-closing.repository';

/** Writes tickets under one sorteo of the harness's own, created on first use. */
export function knexTicketWriter(db: Knex): (input: GivenClosingTicket) => Promise<string> {
  let sorteoId: Promise<string> | undefined;
  const sorteo = async (): Promise<string> => {
    const [loteria] = await db('loterias').insert({ name: 'Tiempos' }).returning('id');
    const [row] = await db('sorteos')
      .insert({ loteria_id: loteria.id, name: 'Tiempos 12:55', scheduled_at: new Date('2025-01-01T18:55:00Z'), status: 'CLOSED' })
      .returning('id');
    return row.id as string;
  };
  return async (input) => {
    sorteoId ??= sorteo();
    const [row] = await db('tickets')
      .insert({
        sorteo_id: await sorteoId,
        vendedor_id: input.vendedorId,
        ventana_id: input.ventanaId,
        banca_id: input.bancaId,
        business_date: input.businessDate,
        status: input.status ?? 'ACTIVE',
        total_amount: input.totalAmount,
        total_payout: input.totalPayout ?? '0.00',
        commission_amount: input.commissionAmount ?? '0.00',
        listero_commission_amount: input.listeroCommissionAmount ?? '0.00',
      })
      .returning('id');
    return row.id as string;
  };
}

export async function readClosingRows(db: Knex, month: string): Promise<ClosingRow[]> {
  const { rows } = await db.raw(
    `SELECT closing_month AS month, dimension, entity_id AS "entityId", ticket_count AS "ticketCount",
       total_sales AS "totalSales", total_payouts AS "totalPayouts", total_commissions AS "totalCommissions",
       net_balance AS "netBalance", total_paid AS "totalPaid", total_collected AS "totalCollected",
       opening_balance AS "openingBalance", remaining_balance AS "remainingBalance"
     FROM monthly_closing_balances WHERE closing_month = ? ORDER BY dimension, entity_id`,
    [month],
  );
  return rows as ClosingRow[];
}

/** The monthly-closing contract harness over a migrated database of the test's own. */
export function knexMonthlyClosingHarness(database: MigratedDatabase): MonthlyClosingContractHarness {
  const db = database.knex;
  return {
    ...knexBancaFixtures(db),
    closingRepository: new KnexMonthlyClosingRepository(db),
    givenTicket: knexTicketWriter(db),
    closingRows: (month) => readClosingRows(db, month),
    close: () => database.close(),
  };
}
