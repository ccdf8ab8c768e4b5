import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * The operators' read API pages by keyset: a guardian's or a junior's schedules by (created_at, id),
 * deleted ones included (the pair key of 006 covers live ones only), and a month's closing rows of a
 * dimension by remaining balance. A schedule's credits page on the unique (schedule_id, run_at) of 006,
 * the statement chain on the unique (dimension, entity_id, date) of 004, closings by entity id on their
 * unique (closing_month, dimension, entity_id) of 005. The reason a run was given up for good is
 * `last_failure_reason` of 006, recorded with `last_failed_run_at` (007) by the worker's ledger.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE INDEX allowance_schedules_guardian_created_idx ON allowance_schedules (guardian_id, created_at, id);
    CREATE INDEX allowance_schedules_junior_created_idx ON allowance_schedules (junior_id, created_at, id);
    CREATE INDEX monthly_closing_balances_remaining_idx ON monthly_closing_balances (closing_month, dimension, remaining_balance, entity_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, `
    DROP INDEX monthly_closing_balances_remaining_idx;
    DROP INDEX allowance_schedules_junior_created_idx;
    DROP INDEX allowance_schedules_guardian_created_idx;
  `);
}
