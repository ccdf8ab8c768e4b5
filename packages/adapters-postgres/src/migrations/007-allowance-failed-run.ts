import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * A run given up for good is remembered by its occurrence (`last_failed_run_at`, the domain's
 * lastFailedRunAt), apart from the moment it was given up (`last_failure_at`): the run is what a
 * guardian or an operator needs to find the unpaid allowance.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, 'ALTER TABLE allowance_schedules ADD COLUMN last_failed_run_at timestamptz;');
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'ALTER TABLE allowance_schedules DROP COLUMN last_failed_run_at;');
}
