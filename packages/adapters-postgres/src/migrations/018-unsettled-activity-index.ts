import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * Settlement walks the unsettled statements with activity in (date, dimension, entity) order, for its
 * batch and for its bounded count of what is pending. Statements without activity (carried-forward
 * balances) are never eligible and stay unsettled, one per entity with a balance per day, so an index of
 * every unsettled statement grows with that history and every walk that reaches the cutoff reads it.
 * This one holds only the statements that can be eligible.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP INDEX account_statements_unsettled_idx;
    CREATE INDEX account_statements_unsettled_active_idx ON account_statements (date, dimension, entity_id)
      WHERE NOT is_settled AND (ticket_count > 0 OR total_paid > 0 OR total_collected > 0);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP INDEX account_statements_unsettled_active_idx;
    CREATE INDEX account_statements_unsettled_idx ON account_statements (date, dimension, entity_id) WHERE NOT is_settled;
  `);
}
