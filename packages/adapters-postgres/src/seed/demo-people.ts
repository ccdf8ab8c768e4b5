import type { Knex } from 'knex';
import { addCRDays, crLocalToInstant } from '@banca/domain';
import { DEMO_BANCAS, DEMO_FAMILIES, DEMO_LOTERIAS, DEMO_VENDEDORES, DEMO_VENTANAS, demoId } from './demo-catalog';

const insertNew = (trx: Knex.Transaction, table: string, rows: object[], key = 'id') =>
  rows.length === 0 ? Promise.resolve() : trx(table).insert(rows).onConflict(key).ignore();

/** Bancas, ventanas, vendedores and lotteries of the demo. */
export async function seedDemoHierarchy(trx: Knex.Transaction): Promise<void> {
  await insertNew(trx, 'bancas', DEMO_BANCAS.map((b) => ({ id: demoId(b.key), name: b.name })));
  await insertNew(trx, 'ventanas', DEMO_VENTANAS.map((v) => ({ id: demoId(v.key), banca_id: demoId(v.banca), name: v.name })));
  await insertNew(
    trx,
    'vendedores',
    DEMO_VENDEDORES.map((v) => ({ id: demoId(v.key), ventana_id: demoId(v.ventana), banca_id: demoId(v.banca), name: v.name })),
  );
  await insertNew(
    trx,
    'loterias',
    DEMO_LOTERIAS.map((l) => ({ id: demoId(l.key), name: l.name, rules_json: JSON.stringify(l.rulesJson) })),
  );
  await insertNew(trx, 'account_statement_settlement_config', [{ id: 1 }]);
}

/**
 * Guardians and juniors with funded accounts, and two allowance schedules whose first run is
 * tomorrow morning (CR), so the producer has something due soon and no credit is implied before it.
 */
export async function seedDemoFamilies(trx: Knex.Transaction, today: string): Promise<void> {
  await insertNew(trx, 'guardians', DEMO_FAMILIES.map((g) => ({ id: demoId(g.key), name: g.name })));
  const juniors = DEMO_FAMILIES.flatMap((g) => g.juniors.map((j) => ({ ...j, guardian: g.key })));
  await insertNew(trx, 'juniors', juniors.map((j) => ({ id: demoId(j.key), guardian_id: demoId(j.guardian), name: j.name })));
  await insertNew(trx, 'accounts', [
    ...DEMO_FAMILIES.map((g) => ({ id: demoId(`account:${g.key}`), guardian_id: demoId(g.key), balance: g.balance })),
    ...juniors.map((j) => ({ id: demoId(`account:${j.key}`), junior_id: demoId(j.key), balance: j.balance })),
  ]);
  const tomorrow = addCRDays(today, 1);
  const schedules = [
    { key: 'allowance:sofia', guardian: 'guardian:fernandez', junior: 'junior:sofia', amount: '5000.00', frequency: 'WEEKLY', at: '08:00' },
    { key: 'allowance:valentina', guardian: 'guardian:vargas', junior: 'junior:valentina', amount: '1500.00', frequency: 'DAILY', at: '07:00' },
  ];
  await insertNew(
    trx,
    'allowance_schedules',
    schedules.map((s) => {
      const anchor = crLocalToInstant(tomorrow, s.at);
      return {
        id: demoId(s.key),
        guardian_id: demoId(s.guardian),
        junior_id: demoId(s.junior),
        amount: s.amount,
        frequency: s.frequency,
        status: 'ON',
        anchor_at: anchor,
        next_run_at: anchor,
      };
    }),
  );
}
