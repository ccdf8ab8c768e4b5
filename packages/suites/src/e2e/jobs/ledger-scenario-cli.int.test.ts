import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BancaBook, type Entity } from './banca-book.test-helpers';
import { bancaCli, printed, type CliOutcome } from './banca-cli.test-helpers';
import { createJobWorld, type JobWorld } from './jobs.test-helpers';

/**
 * One vendedor's January as a new user plays it through `banca` on real PostgreSQL: a provisional
 * balance carried forward, a reversed collection, a collection on a day without a statement; then the
 * month closed and reconciled.
 */
describe('the ledger of a new user, through the banca CLI on real PostgreSQL', function () {
  let world: JobWorld;
  let dataDir: string;
  let book: BancaBook;
  let vendedor: Entity;
  let ventana: Entity;
  let banca: Entity;
  const run = (args: string[]): Promise<CliOutcome> => bancaCli(world.databaseUrl, dataDir)(args);

  before(async () => {
    world = await createJobWorld('ledger_cli');
    dataDir = mkdtempSync(join(tmpdir(), 'banca-ledger-'));
    book = new BancaBook(world.knex);
    banca = await book.banca('Banca Central');
    ventana = await book.ventana(banca, 'Ventana Norte');
    vendedor = await book.vendedor(ventana, 'Ana');
  });

  after(async () => {
    await world?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const remaining = async (entity: Entity) =>
    Object.fromEntries(
      ((await world.knex('account_statements').where({ dimension: entity.dimension, entity_id: entity.id }).orderBy('date').select('date', 'remaining_balance')) as Array<{ date: string; remaining_balance: string }>).map(
        (r) => [r.date, r.remaining_balance],
      ),
    );

  /** The sales side's statements of a day: the vendedor's with a provisional remaining balance. */
  async function salesDay(date: string, provisionalRemaining: string) {
    for (const entity of [vendedor, ventana, banca]) await book.statement(entity, date);
    await world.knex('account_statements').where({ dimension: 'vendedor', entity_id: vendedor.id, date }).update({ remaining_balance: provisionalRemaining });
  }

  it('01-01 = 1000.00, 01-03 = 1500.00, 01-05 = 800.00, carried forward 800.00; January closes and reconciles clean', async () => {
    await book.ticket(vendedor, '2025-01-01', { amount: '1000.00' });
    await book.movement(vendedor, '2025-01-01', 'collection', '400.00');
    await salesDay('2025-01-01', '600.00');
    const first = await run(['jobs', 'run', 'settlement', '--now', '2025-01-02T09:00:00Z']);
    expect(first.code, first.stderr).to.equal(0);
    expect(await remaining(vendedor)).to.deep.equal({ '2025-01-01': '600.00', '2025-01-02': '600.00' });

    await book.ticket(vendedor, '2025-01-03', { amount: '500.00' });
    await salesDay('2025-01-03', '1100.00');
    await world.knex('account_movements').where({ vendedor_id: vendedor.id, date: '2025-01-01' }).update({ is_reversed: true });
    await book.movement(vendedor, '2025-01-05', 'collection', '700.00');
    const second = await run(['jobs', 'run', 'settlement', '--now', '2025-01-21T09:00:00Z']);
    expect(second.code, second.stderr).to.equal(0);
    expect((printed(second.stdout) as { summary: Record<string, unknown> }).summary).to.deep.include({ settledCount: 7, executedBy: `cli:${userInfo().username}` });

    expect(await remaining(vendedor)).to.deep.equal({
      '2025-01-01': '1000.00',
      '2025-01-02': '1000.00',
      '2025-01-03': '1500.00',
      '2025-01-05': '800.00',
      '2025-01-21': '800.00',
    });
    expect(await remaining(ventana)).to.deep.equal({ '2025-01-01': '1000.00', '2025-01-03': '1500.00', '2025-01-21': '1500.00' });
    const settledBy = await world.knex('account_statements').where({ is_settled: true }).distinct('settled_by');
    expect(settledBy).to.deep.equal([{ settled_by: `cli:${userInfo().username}` }]);

    const closing = await run(['jobs', 'run', 'monthly-closing', '--month', '2025-01', '--user', 'ops', '--now', '2025-02-01T08:00:00Z']);
    expect(closing.code, closing.stderr).to.equal(0);
    expect((printed(closing.stdout) as { summary: Record<string, unknown> }).summary).to.deep.include({
      closingMonth: '2025-01', vendedores: { success: 1, errors: 0 }, ventanas: { success: 1, errors: 0 }, bancas: { success: 1, errors: 0 }, executedBy: 'ops',
    });
    expect(await world.knex('monthly_closing_balances').where({ entity_id: vendedor.id }).first('total_collected', 'remaining_balance')).to.deep.equal({
      total_collected: '700.00',
      remaining_balance: '800.00',
    });

    const reconciled = await run(['reconcile', '--month', '2025-01']);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).to.equal(0);
    expect(reconciled.stdout).to.equal('Reconciliation of 2025-01: clean\n');
  });

  it('a payment added to a settled day is reported with its figures: exit 1, a table, or the report as JSON', async () => {
    await book.movement(vendedor, '2025-01-03', 'payment', '25.00');
    const table = await run(['reconcile', '--month', '2025-01']);
    expect(table.code, table.stderr).to.equal(1);
    expect(table.stdout).to.contain('Reconciliation of 2025-01: 1 discrepancies (movements 1)');
    expect(table.stdout).to.match(/movements\s+vendedor Ana\s+2025-01-03\s+settled: paid 0\.00 \/ movements 25\.00, collected 0\.00 \/ movements 0\.00/);

    const json = await run(['reconcile', '--month', '2025-01', '--dimension', 'vendedor', '--json']);
    expect(json.code).to.equal(1);
    expect(printed(json.stdout)).to.deep.include({
      clean: false,
      total: 1,
      discrepancies: [
        {
          kind: 'STATEMENT_MOVEMENTS', dimension: 'vendedor', entityId: vendedor.id, entityName: 'Ana', date: '2025-01-03', settled: true,
          storedPaid: '0.00', movementsPaid: '25.00', storedCollected: '0.00', movementsCollected: '0.00',
        },
      ],
    });
    expect((await run(['reconcile', '--month', '2025-01', '--dimension', 'ventana'])).code).to.equal(0);
  });

  it('refuses bad input with exit 2 and a clear message: a month out of range, a month not ended, a dimension it does not know', async () => {
    const outcomes = await Promise.all([
      run(['reconcile', '--month', '2025-13']),
      run(['reconcile']),
      run(['reconcile', '--month', '2025-01', '--dimension', 'vendor']),
      run(['reconcile', '--month', '2025-01', '--limit', '0']),
      run(['jobs', 'run', 'monthly-closing', '--month', '2025-02', '--now', '2025-02-15T12:00:00Z']),
    ]);
    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).to.equal(2);
    const [month, missing, dimension, limit, notEnded] = outcomes.map((o) => o.stderr);
    expect(month).to.contain('TIME.INVALID_MONTH');
    expect(missing).to.contain('reconcile needs --month YYYY-MM');
    expect(dimension).to.contain('VALIDATION.INVALID_INPUT').and.contain('--dimension "vendor"');
    expect(limit).to.contain('--limit "0"');
    expect(notEnded).to.contain('CLOSING.MONTH_NOT_ENDED').and.contain('2025-03-01T06:00:00.000Z');
    expect(await world.knex('monthly_closing_balances').where({ closing_month: '2025-02' })).to.deep.equal([]);
  });
});
