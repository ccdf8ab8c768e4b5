import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * The W3C trace context (`{"traceparent": …, "tracestate": …}`) a dead-lettered run was published in,
 * so its replay links to the trace it failed in (docs/architecture.md, Tracing). Null for rows recorded
 * before, and for messages that carried none.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `ALTER TABLE allowance_dead_letters ADD COLUMN trace_context jsonb`);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `ALTER TABLE allowance_dead_letters DROP COLUMN trace_context`);
}
