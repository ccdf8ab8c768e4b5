import { expect } from 'chai';
import { Money, addCRDays, expandDrawSchedule } from '@banca/domain';
import { closeMonth, fixedClock, memoryLogger, reconcileMonth, settleStatements } from '@banca/domain/ports';
import { KnexMonthlyClosingRepository } from '../closing/knex-monthly-closing.repository';
import { KnexReconciliationRepository } from '../reconciliation/knex-reconciliation.repository';
import { KnexSettlementConfigRepository } from '../settlement/knex-settlement-config.repository';
import { KnexStatementRepository } from '../settlement/knex-statement.repository';
import { createMigratedPglite, createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { seedDemo } from './seed-demo';

const NOW = new Date('2025-03-18T15:00:00Z'); // 09:00 in Costa Rica, a Tuesday
const TODAY = '2025-03-18';
const DAY = 86_400_000;

const countOf = async (db: MigratedDatabase, table: string): Promise<number> => {
  const [{ count }] = await db.knex(table).count({ count: '*' });
  return Number(count);
};

const TABLES = ['bancas', 'ventanas', 'vendedores', 'loterias', 'sorteos', 'tickets', 'account_movements', 'account_statements',
  'account_statement_settlement_config', 'activity_logs', 'guardians', 'juniors', 'accounts', 'allowance_schedules'];

const databases: Array<[string, () => Promise<MigratedDatabase>]> = [
  ['real PostgreSQL', () => createMigratedSchema('seed_demo')],
  ['PGlite', createMigratedPglite],
];

for (const [label, open] of databases) {
  describe(`seedDemo on ${label}`, () => {
    let db: MigratedDatabase;
    let countsAfterFirst: Record<string, number>;

    before(async function () {
      this.timeout(180_000);
      db = await open();
      expect(await seedDemo(db.knex, { now: NOW })).to.deep.equal({ seeded: true, today: TODAY });
      countsAfterFirst = {};
      for (const table of TABLES) countsAfterFirst[table] = await countOf(db, table);
    });
    after(() => db?.close());

    it('writes a small banca: 2 bancas, 4 ventanas, 12 vendedores, 3 lotteries, the settlement config', () => {
      expect(countsAfterFirst).to.include({ bancas: 2, ventanas: 4, vendedores: 12, loterias: 3, account_statement_settlement_config: 1 });
      expect(countsAfterFirst['tickets']).to.be.within(2_000, 10_000);
      expect(countsAfterFirst['account_movements']).to.be.greaterThan(100);
      expect(countsAfterFirst['account_statements']).to.be.greaterThan(300);
    });

    it('gives Tiempos three daily draws named in CR time, which the domain reads back as its schedule', async () => {
      const tiempos = await db.knex('loterias').where({ name: 'Tiempos' }).first('id', 'name', 'rules_json');
      expect(tiempos.rules_json).to.deep.equal({ drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } });
      const names = await db.knex('sorteos').where({ loteria_id: tiempos.id }).distinct('name').orderBy('name').pluck('name');
      expect(names).to.deep.equal(['Tiempos 12:55', 'Tiempos 16:30', 'Tiempos 19:30']);
      const window = { from: new Date(NOW.getTime() - 2 * DAY), to: NOW };
      const expected = expandDrawSchedule({ id: tiempos.id, name: tiempos.name, rulesJson: tiempos.rules_json }, window);
      const stored = await db.knex('sorteos').where({ loteria_id: tiempos.id }).where('scheduled_at', '>=', window.from).where('scheduled_at', '<', window.to).orderBy('scheduled_at').select('scheduled_at');
      expect(stored.map((s: { scheduled_at: Date }) => s.scheduled_at.toISOString())).to.deep.equal(expected.map((e) => e.scheduledAt.toISOString()));
      const nacional = await db.knex('sorteos').join('loterias', 'loterias.id', 'sorteos.loteria_id').where('loterias.name', 'Lotería Nacional').pluck('sorteos.name');
      expect(nacional).to.have.length.within(5, 7);
    });

    it("leaves work for the jobs: today's draws OPEN, yesterday's unsold Monazos OPEN, statements to settle, old logs", async () => {
      const { rows: open } = await db.knex.raw(`SELECT s.name, count(t.id)::int AS tickets FROM sorteos s LEFT JOIN tickets t ON t.sorteo_id = s.id WHERE s.status = 'OPEN' AND s.scheduled_at < ? GROUP BY s.name ORDER BY s.name`, [new Date('2025-03-18T06:00:00Z')]);
      expect(open).to.deep.equal([{ name: 'Monazos 13:00', tickets: 0 }, { name: 'Monazos 19:00', tickets: 0 }]);
      const eligible = await db.knex('account_statements').where({ is_settled: false }).where('date', '<', addCRDays(TODAY, -7)).count({ n: '*' });
      expect(Number(eligible[0].n)).to.be.greaterThan(0);
      const oldLogs = await db.knex('activity_logs').where('created_at', '<', new Date(NOW.getTime() - 45 * DAY)).count({ n: '*' });
      expect(Number(oldLogs[0].n)).to.be.within(1, countsAfterFirst['activity_logs']! - 1);
    });

    it('keeps money exact: amounts are two-decimal strings and each statement adds up to its tickets and movements', async () => {
      const { rows } = await db.knex.raw(`
        SELECT st.total_sales, (SELECT coalesce(sum(total_amount), 0) FROM tickets t WHERE t.vendedor_id = st.vendedor_id AND t.business_date = st.date AND t.status NOT IN ('CANCELLED', 'EXCLUDED')) AS sales,
               st.total_collected, (SELECT coalesce(sum(amount), 0) FROM account_movements m WHERE m.vendedor_id = st.vendedor_id AND m.date = st.date AND m.type = 'collection' AND NOT m.is_reversed) AS collected
        FROM account_statements st WHERE st.dimension = 'vendedor'`);
      for (const row of rows) {
        expect(Money.parse(row.total_sales).toString()).to.equal(Money.parse(row.sales).toString());
        expect(Money.parse(row.total_collected).toString()).to.equal(Money.parse(row.collected).toString());
      }
      const [commission] = await db.knex('tickets').where({ total_amount: '300.00' }).limit(1).select('commission_amount', 'listero_commission_amount');
      expect(commission).to.deep.equal({ commission_amount: '25.50', listero_commission_amount: '9.00' });
      const balances = await db.knex('accounts').whereNotNull('guardian_id').orderBy('balance').pluck('balance');
      expect(balances).to.deep.equal(['50000.00', '125000.50']);
    });

    it('carries each statement’s remaining balance forward: remaining = previous + balance − collected + paid', async () => {
      const { rows } = await db.knex.raw(`
        SELECT entity_id, balance, total_paid, total_collected, remaining_balance FROM account_statements ORDER BY dimension, entity_id, date`);
      let previous: { entity: string; remaining: Money } | null = null;
      for (const row of rows) {
        const opening = previous && previous.entity === row.entity_id ? previous.remaining : Money.parse('0');
        const expected = opening.plus(Money.parse(row.balance)).minus(Money.parse(row.total_collected)).plus(Money.parse(row.total_paid));
        expect(row.remaining_balance).to.equal(expected.toString());
        previous = { entity: row.entity_id, remaining: Money.parse(row.remaining_balance) };
      }
    });

    it('has two allowance schedules, first due tomorrow morning CR', async () => {
      const schedules = await db.knex('allowance_schedules').orderBy('amount').select('amount', 'frequency', 'status', 'next_run_at');
      expect(schedules.map((s: { amount: string; frequency: string; next_run_at: Date }) => [s.amount, s.frequency, s.next_run_at.toISOString()])).to.deep.equal([
        ['1500.00', 'DAILY', '2025-03-19T13:00:00.000Z'],
        ['5000.00', 'WEEKLY', '2025-03-19T14:00:00.000Z'],
      ]);
    });

    it('writes nothing on a second run, even a day later', async () => {
      expect(await seedDemo(db.knex, { now: new Date(NOW.getTime() + DAY) })).to.deep.equal({ seeded: false, today: '2025-03-19' });
      for (const table of TABLES) expect(await countOf(db, table), table).to.equal(countsAfterFirst[table]);
    });

    it('reconciles clean as seeded, and again once its backlog is settled and February is closed', async function () {
      this.timeout(120_000);
      const reconciliation = new KnexReconciliationRepository(db.knex);
      const clean = async (when: string) => {
        for (const month of ['2025-02', '2025-03']) {
          const report = await reconcileMonth({ reconciliation }, { month });
          expect(report.total, `${month} ${when}: ${JSON.stringify(report.discrepancies)}`).to.equal(0);
        }
      };
      await clean('as seeded');
      const statements = new KnexStatementRepository(db.knex);
      const deps = { config: new KnexSettlementConfigRepository(db.knex), statements, clock: fixedClock(NOW), logger: memoryLogger() };
      while ((await settleStatements(deps, { trigger: 'manual', userId: 'demo-check' })).settledCount > 0);
      await closeMonth({ closing: new KnexMonthlyClosingRepository(db.knex), clock: fixedClock(NOW) }, { month: '2025-02' });
      expect(await countOf(db, 'monthly_closing_balances')).to.equal(18);
      await clean('after settlement and closing');
    });
  });
}
