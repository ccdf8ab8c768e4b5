import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * Monthly closing sums a page of vendedores' tickets of one month. There are many vendedores, so
 * through tickets_business_date_idx every page would read the whole month; keyed by vendedor, a
 * page reads only its own tickets, and the included columns let it skip the table. Ventanas and
 * bancas are few pages each, so one pass over the month by business_date serves them.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE INDEX tickets_vendedor_business_date_idx ON tickets (vendedor_id, business_date)
      INCLUDE (status, total_amount, total_payout, commission_amount);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP INDEX tickets_vendedor_business_date_idx;');
}
