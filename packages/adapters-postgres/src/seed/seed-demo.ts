import type { Knex } from 'knex';
import { addCRDays, crLocalToInstant, toCRDateString } from '@banca/domain';
import { advisoryLockKey } from '../jobs/advisory-lock-key';
import { DEMO_BANCAS, DEMO_MARKER_BANCA_ID, demoId } from './demo-catalog';
import { insertDemoActivityLogs } from './demo-activity-logs';
import { seedDemoFamilies, seedDemoHierarchy } from './demo-people';
import { demoSorteos, insertDemoMovements, insertDemoSorteos, insertDemoTickets } from './demo-sales';
import { insertDemoStatements } from './demo-statements';

/** CR days of sales before today in the demo. */
export const DEMO_HISTORY_DAYS = 40;
/** Statements older than this many days were settled; younger ones are left for the settlement job. */
const SETTLED_AFTER_DAYS = 14;

export interface SeedDemoResult {
  /** False when the demo was already there: nothing was written. */
  seeded: boolean;
  /** The CR date the demo's history ends on. */
  today: string;
}

/**
 * Fills an empty database with a small, believable banca (the embedded default's first start, §8):
 * two bancas, four ventanas, twelve vendedores; Tiempos, Lotería Nacional and Monazos with their draws
 * over the last 40 CR days; tickets, cash movements and daily statements; the settlement config;
 * activity logs on both sides of the retention; guardians, juniors, funded accounts and two allowances.
 *
 * Idempotent: everything is written in one transaction, after a transaction-scoped advisory lock, only
 * when the demo's first banca is missing; every row also has a fixed id and is inserted ON CONFLICT DO
 * NOTHING. A second call, or two at once, writes nothing twice.
 */
export async function seedDemo(knex: Knex, options: { now: Date }): Promise<SeedDemoResult> {
  const today = toCRDateString(options.now);
  const seeded = await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?::bigint)', [advisoryLockKey('seed-demo')]);
    if (await trx('bancas').where({ id: DEMO_MARKER_BANCA_ID }).first('id')) return false;
    await writeDemo(trx, options.now, today);
    return true;
  });
  return { seeded, today };
}

async function writeDemo(trx: Knex.Transaction, now: Date, today: string): Promise<void> {
  const firstDay = addCRDays(today, -DEMO_HISTORY_DAYS);
  const days = Array.from({ length: DEMO_HISTORY_DAYS + 1 }, (_, i) => addCRDays(firstDay, i));
  const settledBefore = addCRDays(today, -SETTLED_AFTER_DAYS);

  await seedDemoHierarchy(trx);
  const sorteos = demoSorteos(firstDay, today);
  await insertDemoSorteos(trx, sorteos);
  await insertDemoTickets(trx, sorteos);
  await insertDemoMovements(trx, days);
  await insertDemoStatements(
    trx,
    DEMO_BANCAS.map((b) => demoId(b.key)),
    days.map((day) => ({ day, settledAt: day < settledBefore ? crLocalToInstant(addCRDays(day, 8), '21:00').toISOString() : null })),
  );
  await insertDemoActivityLogs(trx, now);
  await seedDemoFamilies(trx, today);
}
