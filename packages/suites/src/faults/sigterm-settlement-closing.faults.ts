/// <reference types="mocha" />
import { expect } from 'chai';
import type { Knex } from 'knex';
import { migrateToLatest, seedDemo } from '@banca/adapters-postgres';
import { previousCRMonth } from '@banca/domain';
import { ServiceIds } from '@banca/scheduler';
import { signToken } from '@banca/http-koa';
import { call, createTestDatabase, startBanca, useBancaCleanup, waitUntil, type HttpAnswer, type TestDatabase } from '../e2e/process/banca-process.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { openTestProcess } from '../e2e/banca-container.test-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const SECRET = 'faults-sigterm-secret-of-at-least-32-characters';
const SERVICE_APPLICATION = 'banca-jobs';
const BATCH_SIZE = 40;

describe('faults: SIGTERM during settlement and during closing', function () {
  this.timeout(600_000);
  useBancaCleanup();
  let db: TestDatabase | null = null;
  let blocker: Knex.Transaction | null = null;

  after(async () => {
    if (blocker && !blocker.isCompleted()) await blocker.rollback();
    await db?.drop();
  });

  it('the all-in-one cuts both runs off at its timeout and exits 0; nothing half-written; the next runs complete', async () => {
    const report = startScenario('SIGTERM during settlement and closing');
    db = await createTestDatabase();
    const database = db;
    await migrateToLatest(database.knex);
    await seedDemo(database.knex, { now: new Date() });
    await database.knex('account_statement_settlement_config').update({ batch_size: BATCH_SIZE });
    const month = previousCRMonth(new Date());
    const { banca, base } = await startBanca('all-in-one', { DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET, SHUTDOWN_TIMEOUT_MS: '500', BANCA_DEMO_DATA: 'false' });

    // Each run is held inside one of its statements by a lock of the test's: a long statement, as far as the process can tell.
    const held = await database.knex.transaction();
    blocker = held;
    await held.raw('LOCK TABLE account_statements IN SHARE MODE');
    const ventana = await held('ventanas').orderBy('id').first('id', 'banca_id');
    await held('monthly_closing_balances').insert({
      closing_month: month, dimension: 'ventana', entity_id: ventana.id, banca_id: ventana.banca_id,
      ticket_count: 0, total_sales: 0, total_payouts: 0, total_commissions: 0, net_balance: 0,
      total_paid: 0, total_collected: 0, opening_balance: 0, remaining_balance: 0, closed_by: 'faults-blocker',
    });
    const token = signToken({ sub: 'faults-admin', role: 'admin' }, SECRET, 600);
    const trigger = (path: string, body?: unknown) =>
      call(base!, 'POST', path, { token, ...(body === undefined ? {} : { body }) }).catch((error: unknown): HttpAnswer => ({ status: 0, contentType: '', text: String(error), body: undefined }));
    const answers = Promise.all([trigger('/admin/jobs/settlement/trigger'), trigger('/admin/jobs/monthly-closing/trigger', { month })]);
    await waitUntil(async () => {
      const { rows } = await database.knex.raw<{ rows: Array<{ n: number }> }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ? AND application_name = ? AND wait_event_type = 'Lock'",
        [database.name, SERVICE_APPLICATION],
      );
      return rows[0]!.n === 2 ? true : undefined;
    }, 'the settlement and the closing to wait inside their statements');

    banca.signal('SIGTERM');
    const exit = await banca.exited;
    await held.rollback();
    void answers;
    const failedRuns = banca.actions('JOB_FAIL').map((entry) => `${String(entry.payload?.['job'])}:${String(entry.payload?.['errorType'])}`);
    const afterShutdown = await checkInvariants(database.knex);
    const settledByShutdownRun = await database.knex('account_statements').where({ settled_by: 'faults-admin' }).count<Array<{ n: string }>>({ n: '*' });

    const next = openTestProcess('cli', { DATABASE_URL: database.url });
    const runner = await next.container.getAsync(ServiceIds.JobRunner);
    const nextSettlement = await runner.runJob('settlement', { userId: 'faults-next' });
    const nextClosing = await runner.runJob('monthly-closing', { userId: 'faults-next', month });
    await next.close();
    const invariants = await checkInvariants(database.knex);
    const closingRows = await database.knex('monthly_closing_balances').where({ closing_month: month }).count<Array<{ n: string }>>({ n: '*' });
    report.finish({
      load: `demo banca: settlement batch ${BATCH_SIZE}, closing ${month} (${closingRows[0]!.n} rows after the next run)`,
      faults: `1 SIGTERM with 2 runs in flight (cut off: ${failedRuns.join(', ') || 'none'})`,
      violations: afterShutdown.total + invariants.total,
    });

    expect(exit.code, banca.describe()).to.equal(0);
    expect(banca.actions('SHUTDOWN_TIMEOUT')).to.have.length(1);
    expect(banca.actions('JOB_FAIL').map((entry) => entry.payload?.['job'])).to.have.members(['settlement', 'monthly-closing']);
    expect(Number(settledByShutdownRun[0]!.n), 'the interrupted settlement batch left nothing settled').to.equal(0);
    expect(afterShutdown.total, afterShutdown.describe()).to.equal(0);
    expect(nextSettlement.status, JSON.stringify(nextSettlement)).to.equal('SUCCESS');
    expect(nextClosing.status, JSON.stringify(nextClosing)).to.equal('SUCCESS');
    expect(invariants.total, invariants.describe()).to.equal(0);
  });
});
