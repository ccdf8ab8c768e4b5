import { expect } from 'chai';
import { addCRDays, crMonthRange, DomainError, JOBS, Money, toCRDateString } from '@banca/domain';
import { updateSettlementConfig, type MonthlyClosingSummary, type SettlementSummary } from '@banca/domain/ports';
import { amountFor, BancaBook, statementKey, type Entity, type StatementTotals } from './banca-book.test-helpers';
import { createJobWorld, cronSlots, payloadOf, summaryOf, type JobInstance, type JobWorld } from './jobs.test-helpers';

const HISTORY_FROM = '2025-05-29';
const HISTORY_TO = '2025-06-23';
const WALK_FROM = new Date('2025-06-24T03:00:00Z');
const WALK_TO = new Date('2025-07-08T03:00:00Z');
const SETTLEMENT_AGE = 3;

interface ModelRow {
  entity: Entity;
  date: string;
  kind: 'book' | 'carry';
  /** The day's true totals: its sold tickets and non-reversed movements. */
  truth: StatementTotals;
  /** What the row holds now. */
  paid: Money;
  collected: Money;
  remaining: Money;
  settledAt: string | null;
}

interface StatementRow {
  dimension: string;
  entity_id: string;
  date: string;
  ticket_count: number;
  total_sales: string;
  total_payouts: string;
  total_commissions: string;
  balance: string;
  total_paid: string;
  total_collected: string;
  remaining_balance: string;
  is_settled: boolean;
  can_edit: boolean;
  settled_at: Date | null;
  settled_by: string | null;
}

const ZERO_TOTALS: StatementTotals = {
  ticketCount: 0,
  totalSales: Money.ZERO,
  totalPayouts: Money.ZERO,
  totalCommissions: Money.ZERO,
  balance: Money.ZERO,
  totalPaid: Money.ZERO,
  totalCollected: Money.ZERO,
};

describe('a simulated fortnight of statements: settled after their age with running balances, carried forward, a month closed twice', function () {
  let world: JobWorld;
  let scheduler: JobInstance;
  let book: BancaBook;
  let people: { banca: Entity; ventana: Entity; daily: Entity; early: Entity; retired: Entity; even: Entity };
  const written = new Set<string>();

  before(async () => {
    world = await createJobWorld('settlement_fortnight');
    scheduler = await world.instance();
    book = new BancaBook(world.knex);
    const banca = await book.banca('Banca Central');
    const ventana = await book.ventana(banca, 'Ventana Sabana');
    people = {
      banca,
      ventana,
      daily: await book.vendedor(ventana, 'Ana (sells every day)'),
      early: await book.vendedor(ventana, 'Beto (sold mid June only)'),
      retired: await book.vendedor(ventana, 'Carla (inactive)', false),
      even: await book.vendedor(ventana, 'Dani (owes nothing)'),
    };
    for (let day = HISTORY_FROM; day <= HISTORY_TO; day = addCRDays(day, 1)) await writeDay(day);
  });

  after(() => world?.close());

  /** One CR day of the banca's books: sales, cash, and the statements the sales system writes. */
  async function writeDay(day: string): Promise<void> {
    if (written.has(day)) return;
    written.add(day);
    const { ventana, banca, daily, early, retired, even } = people;
    const i = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${HISTORY_FROM}T00:00:00Z`)) / 86_400_000);
    const sellers = new Set<Entity>([daily]);
    await book.ticket(daily, day, { amount: amountFor(i, 200, 300), commission: amountFor(i + 1, 5, 10), listero: amountFor(i + 2, 2, 5) });
    await book.ticket(daily, day, { amount: amountFor(i + 3, 50, 100), payout: i % 4 === 0 ? amountFor(i + 4, 100, 400) : '0', commission: '4.35', listero: '1.10' });
    if (day === '2025-06-03') await book.ticket(daily, day, { amount: '5000.00', commission: '500.00', status: 'CANCELLED' });
    if (i % 3 === 0) await book.movement(daily, day, 'collection', amountFor(i + 5, 100, 200));
    if (i % 5 === 0) await book.movement(daily, day, 'payment', amountFor(i + 6, 20, 50));
    if (day === '2025-06-12') await book.movement(daily, day, 'collection', '999.99', true);
    if (day === '2025-05-30' || day === '2025-06-02') {
      await book.ticket(retired, day, { amount: '812.40', payout: '100.00', commission: '40.62', listero: '8.12' });
      sellers.add(retired);
    }
    if (day >= '2025-06-18' && day <= '2025-06-20') {
      await book.ticket(early, day, { amount: amountFor(i + 7, 300, 200), commission: '15.05', listero: '3.01' });
      if (day === '2025-06-19') await book.movement(early, day, 'collection', '120.50');
      sellers.add(early);
    }
    if (day === '2025-06-10') {
      await book.ticket(even, day, { amount: '100.00', commission: '10.00' });
      await book.movement(even, day, 'collection', '90.00');
      sellers.add(even);
    }
    if (day === '2025-06-15') await book.movement(ventana, day, 'collection', '75.25');
    if (day === '2025-06-16') await book.movement(banca, day, 'payment', '40.10');
    for (const entity of [...sellers, ventana, banca]) await book.statement(entity, day);
    // Cash recorded after the day's statement was written: settlement recomputes it from the movements.
    if (day === '2025-06-05') await book.movement(daily, day, 'payment', '33.33');
  }

  it('skips while disabled, then settles, carries forward and closes June so that the closing reconciles with the statements', async () => {
    const active = [people.daily, people.early, people.even, people.ventana, people.banca];
    const model = new Map<string, ModelRow>();
    const syncBookRows = () => {
      for (const [key, { entity, date, written: stored }] of book.statements) {
        if (model.has(key)) continue;
        model.set(key, { entity, date, kind: 'book', truth: book.totals(entity, date), paid: stored.totalPaid, collected: stored.totalCollected, remaining: Money.ZERO, settledAt: null });
      }
    };
    const rowsOf = (entity: Entity) => [...model.values()].filter((r) => r.entity === entity).sort((a, b) => a.date.localeCompare(b.date));
    /** remaining(D) = remaining(previous statement, else 0) + balance(D) − collected(D) + paid(D), from the book alone. */
    const runningOf = (row: ModelRow) => {
      let remaining = Money.ZERO;
      for (const r of rowsOf(row.entity)) {
        remaining = remaining.plus(r.truth.balance).minus(r.truth.totalCollected).plus(r.truth.totalPaid);
        if (r === row) return remaining;
      }
      throw new Error('row not in the model');
    };

    // May, closed by hand before the walk: it gives June its opening balances.
    const may = await scheduler.run('monthly-closing', { month: '2025-05', userId: 'ops', now: WALK_FROM });
    expect(summaryOf<MonthlyClosingSummary>(may)).to.deep.include({ closingMonth: '2025-05', totalSuccess: 5, totalErrors: 0, executedBy: 'ops' });

    const slots = cronSlots(
      [
        ['settlement', JOBS.settlement.cron],
        ['monthly-closing', JOBS['monthly-closing'].cron],
      ],
      WALK_FROM,
      WALK_TO,
    );
    expect(slots.map((s) => s.job).filter((j) => j === 'monthly-closing')).to.have.length(1);
    const expectedRuns: Array<{ job_name: string; status: string; processed_count: number; error_message: string | null }> = [
      { job_name: 'monthly-closing', status: 'SUCCESS', processed_count: 5, error_message: null },
    ];
    let settlementRuns = 0;
    let batchSize = 1000;
    let firstJune: StatementRowLess[] = [];

    for (const { job, at } of slots) {
      const today = toCRDateString(at);
      const context = `${job} at ${at.toISOString()} (CR ${today})`;
      for (let day = addCRDays(HISTORY_TO, 1); day <= today; day = addCRDays(day, 1)) await writeDay(day);
      syncBookRows();

      if (job === 'monthly-closing') {
        const result = await scheduler.runAt(job, at);
        const summary = summaryOf<MonthlyClosingSummary>(result);
        expect(summary, context).to.deep.equal({
          closingMonth: '2025-06',
          totalSuccess: 5,
          totalErrors: 0,
          vendedores: { success: 3, errors: 0 },
          ventanas: { success: 1, errors: 0 },
          bancas: { success: 1, errors: 0 },
          laterRowsUpdated: 0,
          executedBy: 'SYSTEM',
          executedAt: at.toISOString(),
        });
        expect(payloadOf(scheduler.logged('MONTHLY_CLOSING_COMPLETE').at(-1))).to.deep.equal(summary);
        expectedRuns.push({ job_name: job, status: 'SUCCESS', processed_count: 5, error_message: null });
        firstJune = await closingRows(world, '2025-06');
        continue;
      }

      settlementRuns += 1;
      if (settlementRuns <= 2) {
        // The default configuration: disabled, so scheduled runs do nothing but say so.
        const result = await scheduler.runAt(job, at);
        expect(result, context).to.deep.include({ status: 'SKIPPED', reason: 'settlement is disabled in its configuration' });
        expect(payloadOf(scheduler.logged('JOB_SKIP').at(-1))).to.deep.equal({ job: 'settlement', reason: 'settlement is disabled in its configuration' });
        expectedRuns.push({ job_name: job, status: 'SKIPPED', processed_count: 0, error_message: 'settlement is disabled in its configuration' });
        expect(await statementsInDatabase(world), context).to.deep.equal(modelView(model));
        continue;
      }
      if (settlementRuns === 3) {
        const refused = await updateSettlementConfig({ config: scheduler.ports.settlementConfig }, { enabled: true, cronSchedule: '0 27 * * *' }).catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(DomainError).with.property('code', 'SCHEDULE.INVALID_CRON');
        expect(await scheduler.ports.settlementConfig.get()).to.deep.equal({ enabled: false, settlementAgeDays: 7, batchSize: 1000, cronSchedule: '0 3 * * *' });
        batchSize = 10;
        await updateSettlementConfig({ config: scheduler.ports.settlementConfig }, { enabled: true, settlementAgeDays: SETTLEMENT_AGE, batchSize });
      }
      if (settlementRuns === 4) {
        // A change takes effect on the next run, without a restart.
        batchSize = 1000;
        await updateSettlementConfig({ config: scheduler.ports.settlementConfig }, { batchSize });
      }

      const cutoff = addCRDays(today, -SETTLEMENT_AGE);
      const pending = [...model.values()].filter((r) => r.kind === 'book' && r.settledAt === null && r.date < cutoff).sort((a, b) => a.date.localeCompare(b.date));
      const batch = pending.slice(0, batchSize);
      if (pending.length > batchSize) expect(pending[batchSize - 1]!.date, 'the batch ends between two days').to.not.equal(pending[batchSize]!.date);
      for (const row of batch) {
        row.settledAt = at.toISOString();
        row.paid = row.truth.totalPaid;
        row.collected = row.truth.totalCollected;
        row.remaining = runningOf(row);
      }
      let candidates = 0;
      let created = 0;
      for (const entity of active) {
        const latest = rowsOf(entity).filter((r) => r.date < today).at(-1);
        if (!latest || latest.remaining.isZero()) continue;
        candidates += 1;
        if (model.has(statementKey(entity, today))) continue;
        created += 1;
        model.set(statementKey(entity, today), { entity, date: today, kind: 'carry', truth: ZERO_TOTALS, paid: Money.ZERO, collected: Money.ZERO, remaining: latest.remaining, settledAt: null });
      }

      const moreBefore = scheduler.logged('SETTLEMENT_MORE_RECORDS_AVAILABLE').length;
      const summary = summaryOf<SettlementSummary>(await scheduler.runAt(job, at));
      expect(summary, context).to.deep.include({
        cutoffDateCR: cutoff,
        settlementAgeDays: SETTLEMENT_AGE,
        totalProcessed: batch.length,
        settledCount: batch.length,
        skippedCount: 0,
        errorCount: 0,
        carryForward: { createdCount: created, skippedCount: candidates - created, errorCount: 0 },
        totalPending: pending.length,
        executedBy: 'SYSTEM',
      });
      const completion = payloadOf(scheduler.logged('SETTLEMENT_COMPLETE').at(-1));
      expect(completion).to.include.all.keys('cutoffDateCR', 'settlementAgeDays', 'totalProcessed', 'settledCount', 'skippedCount', 'errorCount', 'carryForward');
      expect(completion).to.deep.equal(summary);
      const more = scheduler.logged('SETTLEMENT_MORE_RECORDS_AVAILABLE').slice(moreBefore);
      if (pending.length > batchSize) {
        expect(more, context).to.have.length(1);
        expect(payloadOf(more[0])).to.have.all.keys('batchSize', 'totalPending', 'message');
        expect(payloadOf(more[0])).to.deep.include({ batchSize, totalPending: pending.length });
      } else {
        expect(more, context).to.deep.equal([]);
      }
      expectedRuns.push({ job_name: job, status: 'SUCCESS', processed_count: batch.length + created, error_message: null });
      expect(await statementsInDatabase(world), context).to.deep.equal(modelView(model));
    }

    expect(settlementRuns).to.equal(14);
    expect(scheduler.logged('SETTLEMENT_MORE_RECORDS_AVAILABLE'), 'the backlog took one short batch').to.have.length(1);
    expect((await world.cronRuns()).map(({ job_name, status, processed_count, error_message }) => ({ job_name, status, processed_count, error_message }))).to.deep.equal(expectedRuns);

    // Every statement before the last cutoff is settled, with the running balance the book gives.
    const lastCutoff = addCRDays(toCRDateString(slots.at(-1)!.at), -SETTLEMENT_AGE);
    for (const row of model.values()) {
      expect(row.remaining.toString(), `${row.entity.name} ${row.date}`).to.equal(row.kind === 'carry' || row.settledAt !== null ? runningOf(row).toString() : '0.00');
      if (row.kind === 'book') expect(row.settledAt !== null, `${row.entity.name} ${row.date} settled`).to.equal(row.date < lastCutoff);
    }
    const carried = [...model.values()].filter((r) => r.kind === 'carry');
    expect(carried.map((r) => r.entity)).to.satisfy((entities: Entity[]) => entities.length > 0 && entities.every((e) => e === people.early));
    expect(carried.map((r) => r.date).sort()[0]).to.equal('2025-06-26');

    // June closed again, by hand: the same rows, only the closing time differs.
    const again = await scheduler.run('monthly-closing', { month: '2025-06', now: WALK_TO });
    expect(summaryOf<MonthlyClosingSummary>(again)).to.deep.include({ closingMonth: '2025-06', totalSuccess: 5, totalErrors: 0, executedBy: 'SYSTEM' });
    expect(await closingRows(world, '2025-06')).to.deep.equal(firstJune);
    const [{ count }] = (await world.knex('monthly_closing_balances').count('* as count')) as Array<{ count: string }>;
    expect(count).to.equal('10');

    // The closing reconciles with the book and with June's daily statements.
    const june = crMonthRange('2025-06');
    const statements = await statementsInDatabase(world);
    for (const entity of active) {
      const mayTotals = book.totalsBetween(entity, '2025-05-01', '2025-05-31');
      const opening = mayTotals.balance.minus(mayTotals.totalCollected).plus(mayTotals.totalPaid);
      const t = book.totalsBetween(entity, june.firstDay, june.lastDay);
      const closing = firstJune.find((r) => r.entity_id === entity.id)!;
      expect(closing, entity.name).to.deep.equal({
        dimension: entity.dimension,
        entity_id: entity.id,
        banca_id: entity.bancaId,
        ticket_count: t.ticketCount,
        total_sales: t.totalSales.toString(),
        total_payouts: t.totalPayouts.toString(),
        total_commissions: t.totalCommissions.toString(),
        net_balance: t.balance.toString(),
        total_paid: t.totalPaid.toString(),
        total_collected: t.totalCollected.toString(),
        opening_balance: opening.toString(),
        remaining_balance: opening.plus(t.balance).minus(t.totalCollected).plus(t.totalPaid).toString(),
        closed_by: null,
      });
      const days = statements.filter((s) => s.entity_id === entity.id && s.date >= june.firstDay && s.date <= june.lastDay);
      expect(days.every((s) => s.is_settled || s.ticket_count === 0), `${entity.name}: June settled`).to.equal(true);
      const sum = (field: 'total_sales' | 'total_payouts' | 'total_commissions' | 'total_paid' | 'total_collected') => Money.sum(days.map((s) => s[field])).toString();
      expect(
        {
          ticket_count: days.reduce((n, s) => n + s.ticket_count, 0),
          total_sales: sum('total_sales'),
          total_payouts: sum('total_payouts'),
          total_commissions: sum('total_commissions'),
          total_paid: sum('total_paid'),
          total_collected: sum('total_collected'),
          remaining_balance: days.at(-1)?.remaining_balance ?? '0.00',
        },
        `${entity.name}: closing vs daily statements`,
      ).to.deep.equal({
        ticket_count: closing.ticket_count,
        total_sales: closing.total_sales,
        total_payouts: closing.total_payouts,
        total_commissions: closing.total_commissions,
        total_paid: closing.total_paid,
        total_collected: closing.total_collected,
        remaining_balance: closing.remaining_balance,
      });
    }
  });

  function modelView(model: Map<string, ModelRow>) {
    return [...model.values()]
      .map((r) => {
        const stored = r.kind === 'book' ? book.statements.get(statementKey(r.entity, r.date))!.written : ZERO_TOTALS;
        return {
          dimension: r.entity.dimension,
          entity_id: r.entity.id,
          date: r.date,
          ticket_count: stored.ticketCount,
          total_sales: stored.totalSales.toString(),
          total_payouts: stored.totalPayouts.toString(),
          total_commissions: stored.totalCommissions.toString(),
          balance: stored.balance.toString(),
          total_paid: r.paid.toString(),
          total_collected: r.collected.toString(),
          remaining_balance: r.remaining.toString(),
          is_settled: r.settledAt !== null,
          can_edit: r.settledAt === null,
          settled_at: r.settledAt,
          settled_by: null,
        };
      })
      .sort(byStatement);
  }
});

type StatementRowLess = Record<string, unknown> & { entity_id: string; ticket_count: number; total_sales: string; total_payouts: string; total_commissions: string; total_paid: string; total_collected: string; remaining_balance: string };

const byStatement = (a: { date: string; dimension: string; entity_id: string }, b: { date: string; dimension: string; entity_id: string }) =>
  a.date.localeCompare(b.date) || a.dimension.localeCompare(b.dimension) || a.entity_id.localeCompare(b.entity_id);

async function statementsInDatabase(world: JobWorld) {
  const rows = (await world.knex('account_statements').select(
    'dimension', 'entity_id', 'date', 'ticket_count', 'total_sales', 'total_payouts', 'total_commissions', 'balance',
    'total_paid', 'total_collected', 'remaining_balance', 'is_settled', 'can_edit', 'settled_at', 'settled_by',
  )) as StatementRow[];
  return rows.map((r) => ({ ...r, settled_at: r.settled_at ? r.settled_at.toISOString() : null })).sort(byStatement);
}

/** A month's closing rows without their closing time, by dimension and entity. */
async function closingRows(world: JobWorld, month: string): Promise<StatementRowLess[]> {
  const rows = (await world.knex('monthly_closing_balances')
    .where({ closing_month: month })
    .select(
      'dimension', 'entity_id', 'banca_id', 'ticket_count', 'total_sales', 'total_payouts', 'total_commissions', 'net_balance',
      'total_paid', 'total_collected', 'opening_balance', 'remaining_balance', 'closed_by',
    )
    .orderBy(['dimension', 'entity_id'])) as StatementRowLess[];
  return rows;
}
