import type { Knex } from 'knex';
import { runSql } from './run-sql';

/**
 * A producer's lease covers every run it published (`leased_through`, the latest one): crediting one
 * run no longer frees the schedule's other runs in flight to be published again. The lease is spent
 * once next_run_at is past it.
 */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, 'ALTER TABLE allowance_schedules ADD COLUMN leased_through timestamptz;');
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'ALTER TABLE allowance_schedules DROP COLUMN leased_through;');
}
