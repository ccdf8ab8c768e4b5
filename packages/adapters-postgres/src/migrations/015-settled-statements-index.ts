import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * A day is eligible for settlement only after the entity's latest settled statement. Settlement
 * asks that of every day it takes, in (date, dimension, entity) order, so it probes this partial
 * index of settled statements (one descent, usually no row) instead of walking the entity's
 * unsettled days in the unique (dimension, entity_id, date) index of 004.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE INDEX account_statements_settled_idx ON account_statements (dimension, entity_id, date) WHERE is_settled;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP INDEX account_statements_settled_idx;
  `);
}
