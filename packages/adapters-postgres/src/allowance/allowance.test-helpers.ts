import type { AllowanceHarness } from '@banca/domain/testing';
import type { Knex } from 'knex';
import { createMigratedSchema } from '../testing/migrated-database';
import { type AllowanceScheduleRow, SCHEDULE_COLUMN_LIST, toAllowanceSchedule } from './allowance-schedule.row';
import { KnexAllowanceLedger } from './knex-allowance-ledger';
import { KnexAllowanceScheduleRepository } from './knex-allowance-schedule.repository';

type Rows<T> = { rows: T[] };

/** The allowance ports and fixtures over `db`, whose tables are assumed empty. */
export function knexAllowanceHarness(db: Knex, close: () => Promise<void>): AllowanceHarness {
  return {
    schedules: new KnexAllowanceScheduleRepository(db),
    ledger: new KnexAllowanceLedger(db),
    givenGuardian: (input) => givenGuardian(db, input),
    givenJunior: (input) => givenJunior(db, input),
    async balanceOf(ownerId) {
      const { rows } = await db.raw<Rows<{ balance: string }>>('SELECT balance FROM accounts WHERE guardian_id = ? OR junior_id = ?', [ownerId, ownerId]);
      if (!rows[0]) throw new Error(`no account for ${ownerId}`);
      return rows[0].balance;
    },
    async credits() {
      const { rows } = await db.raw<Rows<{ schedule_id: string; run_at: Date; amount: string; transaction_id: string; credited_at: Date }>>(
        'SELECT schedule_id, run_at, amount, transaction_id, credited_at FROM allowance_credits ORDER BY credited_at, run_at',
      );
      return rows.map((row) => ({
        scheduleId: row.schedule_id,
        runAt: row.run_at,
        amount: row.amount,
        transactionId: row.transaction_id,
        creditedAt: row.credited_at,
      }));
    },
    async transactions() {
      const { rows } = await db.raw<Rows<{ id: string; from_owner_id: string; to_owner_id: string; amount: string }>>(`
        SELECT t.id, coalesce(payer.guardian_id, payer.junior_id) AS from_owner_id,
               coalesce(payee.guardian_id, payee.junior_id) AS to_owner_id, t.amount
        FROM transactions AS t
        JOIN accounts AS payer ON payer.id = t.from_account_id
        JOIN accounts AS payee ON payee.id = t.to_account_id
        ORDER BY t.created_at, t.reference
      `);
      return rows.map((row) => ({ id: row.id, fromOwnerId: row.from_owner_id, toOwnerId: row.to_owner_id, amount: row.amount }));
    },
    async schedule(id) {
      const { rows } = await db.raw<Rows<AllowanceScheduleRow>>(
        `SELECT ${SCHEDULE_COLUMN_LIST} FROM allowance_schedules WHERE id = ? AND deleted_at IS NULL`,
        [id],
      );
      return rows[0] ? toAllowanceSchedule(rows[0]) : null;
    },
    close,
  };
}

export async function givenGuardian(db: Knex, input: { balance: string }): Promise<string> {
  const { rows } = await db.raw<Rows<{ guardian_id: string }>>(
    `WITH guardian AS (INSERT INTO guardians (name) VALUES ('Guardian') RETURNING id)
     INSERT INTO accounts (guardian_id, balance) SELECT id, ?::numeric FROM guardian RETURNING guardian_id`,
    [input.balance],
  );
  return rows[0]!.guardian_id;
}

export async function givenJunior(db: Knex, input: { guardianId: string; balance?: string }): Promise<string> {
  const { rows } = await db.raw<Rows<{ junior_id: string }>>(
    `WITH junior AS (INSERT INTO juniors (guardian_id, name) VALUES (?, 'Junior') RETURNING id)
     INSERT INTO accounts (junior_id, balance) SELECT id, ?::numeric FROM junior RETURNING junior_id`,
    [input.guardianId, input.balance ?? '0.00'],
  );
  return rows[0]!.junior_id;
}

/** A harness on a fresh migrated schema of real PostgreSQL. */
export async function postgresAllowanceHarness(): Promise<AllowanceHarness> {
  const database = await createMigratedSchema('allowance');
  return knexAllowanceHarness(database.knex, () => database.close());
}
