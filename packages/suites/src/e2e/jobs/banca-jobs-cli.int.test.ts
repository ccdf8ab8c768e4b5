import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JOB_NAMES } from '@banca/domain';
import { BancaBook, givenLoteria } from './banca-book.test-helpers';
import { bancaCli, printed, type CliOutcome } from './banca-cli.test-helpers';
import { createJobWorld, type JobWorld } from './jobs.test-helpers';

describe('the banca CLI: jobs list and jobs run, as a child process on the test schema', function () {
  let world: JobWorld;
  let dataDir: string;

  before(async () => {
    world = await createJobWorld('jobs_cli');
    dataDir = mkdtempSync(join(tmpdir(), 'banca-cli-'));
    const book = new BancaBook(world.knex);
    const vendedor = await book.vendedor(await book.ventana(await book.banca('Banca'), 'Ventana'), 'Vendedor');
    await book.ticket(vendedor, '2025-06-01', { amount: '2500.50', payout: '1000.00', commission: '250.05' });
    await book.movement(vendedor, '2025-06-01', 'collection', '1000.00');
    await book.statement(vendedor, '2025-06-01');
    await givenLoteria(world.knex, { name: 'Tiempos', rulesJson: { drawSchedule: { frequency: 'diario', times: ['12:55'] } } });
  });

  after(async () => {
    await world?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const banca = (args: string[]): Promise<CliOutcome> => bancaCli(world.databaseUrl, dataDir)(args);

  const count = async (table: string) => Number(((await world.knex(table).count('* as n')) as Array<{ n: string }>)[0]!.n);

  it('refuses an unknown job, a month out of range and an instant it cannot read or that does not exist: exit 2, a clear message, nothing written', async () => {
    const [unknown, month, ...instants] = await Promise.all([
      banca(['jobs', 'run', 'settle']),
      banca(['jobs', 'run', 'monthly-closing', '--month', '2025-13']),
      ...['yesterday', '2025-02-30T00:00:00Z', '2025-06-20T24:00:00Z', '2025-06-20T03:00:00'].map((now) => banca(['jobs', 'run', 'settlement', '--now', now])),
    ]);
    expect(unknown.code, unknown.stderr).to.equal(2);
    expect(unknown.stderr).to.contain('JOB.UNKNOWN').and.contain('unknown job "settle"').and.contain('settlement');
    expect(month.code, month.stderr).to.equal(2);
    expect(month.stderr).to.contain('TIME.INVALID_MONTH').and.contain('2025-13');
    for (const now of instants) {
      expect(now.code, now.stderr).to.equal(2);
      expect(now.stderr).to.contain('TIME.INVALID_INSTANT: --now must be an ISO-8601 instant with an offset');
    }
    for (const outcome of [unknown, month, ...instants]) expect(outcome.stdout).to.not.match(/"status"/);
    expect(await count('cron_runs')).to.equal(0);
    expect(await count('monthly_closing_balances')).to.equal(0);
    expect(await world.knex('account_statements').where({ is_settled: true }).count('* as n')).to.deep.equal([{ n: '0' }]);
  });

  it('jobs list prints every job with its rule and CR time', async () => {
    const outcome = await banca(['jobs', 'list']);
    expect(outcome.code, outcome.stderr).to.equal(0);
    const { jobs } = printed(outcome.stdout) as { jobs: Array<{ name: string; cron: string; crTime: string; lastRun: unknown }> };
    expect(jobs.map((j) => j.name)).to.deep.equal(JOB_NAMES);
    expect(jobs.find((j) => j.name === 'sorteos.auto-create')).to.deep.include({ cron: '30 7 * * *', crTime: '01:30', lastRun: null });
  });

  it('jobs run settlement --user ops --now … settles as ops at that instant, prints the summary and exits 0', async () => {
    const outcome = await banca(['jobs', 'run', 'settlement', '--user', 'ops', '--now', '2025-06-20T03:00:00Z']);
    expect(outcome.code, outcome.stderr).to.equal(0);
    const view = printed(outcome.stdout) as { status: string; job: string; summary: Record<string, unknown> };
    expect(view).to.deep.include({ status: 'SUCCESS', job: 'settlement' });
    expect(view.summary).to.deep.include({
      cutoffDateCR: '2025-06-12',
      settlementAgeDays: 7,
      settledCount: 1,
      executedBy: 'ops',
      executedAt: '2025-06-20T03:00:00.000Z',
      carryForward: { createdCount: 1, skippedCount: 0, errorCount: 0 },
    });
    expect(await world.knex('account_statements').where({ date: '2025-06-01', dimension: 'vendedor' }).first('settled_by', 'remaining_balance')).to.deep.equal({
      settled_by: 'ops',
      remaining_balance: '250.45',
    });
    expect((await world.cronRuns()).map((r) => [r.job_name, r.status, r.processed_count])).to.deep.equal([['settlement', 'SUCCESS', 2]]);

    const listed = printed((await banca(['jobs', 'list'])).stdout) as { jobs: Array<{ name: string; lastRun: { status: string } | null }> };
    expect(listed.jobs.find((j) => j.name === 'settlement')!.lastRun).to.deep.include({ status: 'SUCCESS' });
  });
});
