import { expect } from 'chai';
import { createTestDatabase, runBanca, useBancaCleanup, type TestDatabase } from './banca-process.test-helpers';

/** A carriage return or the start of an ANSI escape sequence: a bar redrawing itself. */
const hasControl = (text: string) => text.includes('\r') || text.includes('\u001b');

/** Long CLI work: a progress bar on a terminal; off one (a pipe, CI, a collector), JSON log lines only. */
describe('banca long CLI work and its output', function () {
  useBancaCleanup();
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });

  after(async () => {
    await db.drop();
  });

  it('seeds at scale through pipes with no bar, no carriage return or escape code, only JSON log lines', async () => {
    const result = await runBanca(['seed', '--scale', '--tickets', '20000', '--vendedores', '40', '--ventanas', '8', '--bancas', '2', '--month', '2025-03'], {
      DATABASE_URL: db.url,
    });

    expect(result.exit.code, result.describe()).to.equal(0);
    expect(hasControl(result.stdout), 'stdout has control characters').to.equal(false);
    expect(result.stderr).to.equal('');
    const entries = result.lines.map((line) => JSON.parse(line) as { action: string; payload?: Record<string, unknown> });
    expect(entries.map((e) => e.action).filter((action) => !['DATABASE_MIGRATED', 'PROGRESS'].includes(action))).to.deep.equal(['PROGRESS_DONE', 'SEED_SCALE_COMPLETE']);
    expect(entries.find((e) => e.action === 'PROGRESS_DONE')?.payload).to.include({ task: 'seeding tickets' });
    expect(entries.find((e) => e.action === 'SEED_SCALE_COMPLETE')?.payload).to.include({ month: '2025-03', tickets: 20000 });
    const [{ count }] = (await db.knex('tickets').count({ count: '*' })) as Array<{ count: string | number }>;
    expect(Number(count)).to.equal(20000);
  });
});
