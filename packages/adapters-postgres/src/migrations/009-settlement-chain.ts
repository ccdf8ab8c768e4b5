import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * Movements are the truth of the settlement chain, including days an entity has no statement on.
 * `statement_id` records the settled statement a movement was counted in, so the movements still to
 * settle stay a small partial index instead of a scan of every movement ever made. Settlement takes
 * the oldest eligible days in (date, dimension, entity) order from both tables at once, so both
 * indexes are in that order.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    ALTER TABLE account_movements ADD COLUMN statement_id uuid REFERENCES account_statements (id);
    UPDATE account_movements m SET statement_id = s.id
      FROM account_statements s
      WHERE s.is_settled AND NOT m.is_reversed
        AND s.dimension = m.dimension AND s.entity_id = m.entity_id AND s.date = m.date;
    CREATE INDEX account_movements_unsettled_idx ON account_movements (date, dimension, entity_id)
      WHERE statement_id IS NULL AND NOT is_reversed;
    DROP INDEX account_statements_unsettled_idx;
    CREATE INDEX account_statements_unsettled_idx ON account_statements (date, dimension, entity_id) WHERE NOT is_settled;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP INDEX account_statements_unsettled_idx;
    CREATE INDEX account_statements_unsettled_idx ON account_statements (date, id) WHERE NOT is_settled;
    DROP INDEX account_movements_unsettled_idx;
    ALTER TABLE account_movements DROP COLUMN statement_id;
  `);
}
