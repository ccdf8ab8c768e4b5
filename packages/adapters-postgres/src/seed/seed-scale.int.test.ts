import { expect } from 'chai';
import { Money } from '@banca/domain';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { seedActivityLogs, seedScale, type SeedProgress } from './seed-scale';

const countOf = async (db: MigratedDatabase, table: string): Promise<number> => {
  const [{ count }] = await db.knex(table).count({ count: '*' });
  return Number(count);
};

describe('seedScale on real PostgreSQL', () => {
  let db: MigratedDatabase;
  const progress: SeedProgress[] = [];
  const options = { tickets: 10_000, vendedores: 40, ventanas: 8, bancas: 3, month: '2025-02', activityLogs: 2_500, chunkSize: 4_000 };

  before(async () => {
    db = await createMigratedSchema('seed_scale');
    expect(await seedScale(db.knex, { ...options, onProgress: (p) => progress.push(p) })).to.deep.equal({
      month: '2025-02', sorteos: 28 * 3, tickets: 10_000, movements: 160, activityLogs: 2_500,
    });
  });
  after(() => db?.close());

  it('writes the asked counts, in chunks, reporting progress', async () => {
    expect([await countOf(db, 'bancas'), await countOf(db, 'ventanas'), await countOf(db, 'vendedores')]).to.deep.equal([3, 8, 40]);
    expect([await countOf(db, 'tickets'), await countOf(db, 'account_movements'), await countOf(db, 'activity_logs')]).to.deep.equal([10_000, 160, 2_500]);
    expect(progress.filter((p) => p.step === 'tickets')).to.deep.equal([
      { step: 'tickets', done: 4_000, total: 10_000 },
      { step: 'tickets', done: 8_000, total: 10_000 },
      { step: 'tickets', done: 10_000, total: 10_000 },
    ]);
  });

  it('spreads tickets over every CR date of the month, each on the CR date of its draw, over every vendedor', async () => {
    const { rows } = await db.knex.raw(`
      SELECT count(DISTINCT t.business_date)::int AS days, min(t.business_date) AS first, max(t.business_date) AS last,
             count(DISTINCT t.vendedor_id)::int AS vendedores,
             count(*) FILTER (WHERE t.business_date <> (s.scheduled_at AT TIME ZONE 'America/Costa_Rica')::date)::int AS misdated
      FROM tickets t JOIN sorteos s ON s.id = t.sorteo_id`);
    expect(rows[0]).to.deep.equal({ days: 28, first: '2025-02-01', last: '2025-02-28', vendedores: 40, misdated: 0 });
  });

  it('keeps every ticket under its own vendedor, ventana and banca', async () => {
    const { rows } = await db.knex.raw(`
      SELECT count(*)::int AS orphans FROM tickets t
      LEFT JOIN vendedores v ON v.id = t.vendedor_id AND v.ventana_id = t.ventana_id AND v.banca_id = t.banca_id
      LEFT JOIN ventanas w ON w.id = t.ventana_id AND w.banca_id = t.banca_id
      WHERE v.id IS NULL OR w.id IS NULL`);
    expect(rows[0].orphans).to.equal(0);
  });

  it('sums money exactly: the database total equals the sum of every amount as a decimal string', async () => {
    const amounts = await db.knex('tickets').pluck('commission_amount');
    const [{ total }] = await db.knex('tickets').sum({ total: 'commission_amount' });
    expect(total).to.match(/^\d+\.\d{2}$/);
    expect(Money.sum(amounts.map((a: string) => Money.parse(a))).toString()).to.equal(total);
    expect(amounts.some((a: string) => !a.endsWith('.00'))).to.equal(true);
    const { rows } = await db.knex.raw(`SELECT DISTINCT status FROM tickets ORDER BY 1`);
    expect(rows.map((r: { status: string }) => r.status)).to.deep.equal(['CANCELLED', 'EVALUATED', 'EXCLUDED', 'PAID']);
  });

  it('puts the activity logs past the retention for any run from the month on', async () => {
    const [{ newest }] = await db.knex('activity_logs').max({ newest: 'created_at' });
    expect(newest.getTime()).to.be.lessThan(new Date('2025-02-01T06:00:00Z').getTime() - 45 * 86_400_000);
  });

  it('adds no tickets or movements on a second run', async () => {
    await seedScale(db.knex, { ...options, activityLogs: 0 });
    expect([await countOf(db, 'tickets'), await countOf(db, 'account_movements')]).to.deep.equal([10_000, 160]);
  });

  it('seeds bulk activity logs before a given instant', async () => {
    const before = new Date('2024-01-01T00:00:00Z');
    expect(await seedActivityLogs(db.knex, { count: 1_000, before, chunkSize: 300 })).to.equal(1_000);
    const n = await db.knex('activity_logs').where('created_at', '<', before).count({ n: '*' });
    expect(Number(n[0].n)).to.equal(1_000);
  });
});
