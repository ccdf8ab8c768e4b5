import { expect } from 'chai';
import type { Knex } from 'knex';
import { migrateToLatest, seedDemo } from '@banca/adapters-postgres';
import { crMonthRange, previousCRMonth, settlementCutoff } from '@banca/domain';
import { signToken } from '@banca/http-koa';
import { call, createTestDatabase, startBanca, useBancaCleanup, waitUntil, type HttpAnswer, type StartedBanca, type TestDatabase } from './banca-process.test-helpers';

const SECRET = 'graceful-shutdown-e2e-secret-of-at-least-32-chars';
const ADMIN = 'admin-shutdown-e2e';
const BATCH_SIZE = 40;
const SETTLEMENT_AGE_DAYS = 7;
/** The application_name the service's PostgreSQL connections carry. */
const SERVICE_APPLICATION = 'banca-jobs';

/**
 * As docs/architecture.md (Running the jobs) has it: SIGTERM while a settlement and a monthly closing are running. Each run is held inside
 * one of its statements by a lock the test owns (a long statement, as far as the process can tell):
 * the settlement's batch UPDATE waits on a SHARE lock of account_statements, the closing's ventana
 * page waits on an uncommitted row of that page. Either the runs finish within SHUTDOWN_TIMEOUT_MS and
 * their batches are whole, or they are cut off and PostgreSQL keeps none of the interrupted statement.
 */
describe('banca all-in-one: SIGTERM during a long settlement and a long monthly closing (real PostgreSQL)', function () {
  useBancaCleanup();
  let db: TestDatabase;
  let month: string;
  let eligibleOldestFirst: string[];
  let blocker: Knex.Transaction | null = null;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migrateToLatest(db.knex);
    const now = new Date();
    await seedDemo(db.knex, { now });
    await db.knex('account_statement_settlement_config').update({ batch_size: BATCH_SIZE, settlement_age_days: SETTLEMENT_AGE_DAYS });
    month = previousCRMonth(now);
    const eligible = await db.knex.raw<{ rows: Array<{ id: string }> }>(
      `SELECT id FROM account_statements
       WHERE NOT is_settled AND date < ?::date AND (ticket_count > 0 OR total_paid > 0 OR total_collected > 0)
       ORDER BY date, dimension, entity_id`,
      [settlementCutoff(now, SETTLEMENT_AGE_DAYS)],
    );
    eligibleOldestFirst = eligible.rows.map((r) => r.id);
    expect(eligibleOldestFirst.length, 'the demo leaves more eligible statements than one batch').to.be.greaterThan(BATCH_SIZE);
  });

  afterEach(async () => {
    if (blocker && !blocker.isCompleted()) await blocker.rollback();
    blocker = null;
    await db.drop();
  });

  it('with time to finish: both runs complete, the settlement batch and every closing row whole, exit 0', async () => {
    const { banca, blocker, answers } = await startAndHoldBothRuns('120000');

    banca.signal('SIGTERM');
    const started = await banca.waitForLog('SHUTDOWN_STARTED');
    expect(started.payload?.['active']).to.have.members(['settlement', 'monthly-closing']);
    await blocker.rollback();

    const exit = await banca.exited;
    expect(exit.code, banca.describe()).to.equal(0);
    expect(banca.actions('SHUTDOWN_COMPLETE')[0]?.payload).to.include({ drained: true });
    expect(banca.actions('SHUTDOWN_TIMEOUT')).to.deep.equal([]);
    const [settlement, closing] = await answers;
    expect(settlement).to.include({ status: 200 });
    expect(settlement.body).to.include({ status: 'SUCCESS', job: 'settlement' });
    expect(closing).to.include({ status: 200 });
    expect(closing.body).to.include({ status: 'SUCCESS', job: 'monthly-closing' });

    expect(await settledByAdmin(db.knex)).to.deep.equal(eligibleOldestFirst.slice(0, BATCH_SIZE));
    const rows = await closingRows(db.knex, month);
    expect(rows.map((r) => r.dimension)).to.deep.equal([...Array(12).fill('vendedor'), ...Array(4).fill('ventana'), ...Array(2).fill('banca')]);
    expect(rows.every((r) => r.closed_by === ADMIN)).to.equal(true);
    expect(await wrongClosingRows(db.knex, month)).to.deep.equal([]);
  });

  it('cut off at the timeout: the interrupted statements leave nothing, committed pages stay whole, exit 0', async () => {
    // The trigger requests lose their connections when the HTTP server closes at the timeout.
    const { banca, blocker } = await startAndHoldBothRuns('300');

    banca.signal('SIGTERM');
    await banca.waitForLog('SHUTDOWN_STARTED');
    // The test still holds its locks: the process has to cut the runs off to get out.
    const exit = await banca.exited;
    await blocker.rollback();
    await waitUntil(async () => ((await serviceBackends(db)) === 0 ? true : undefined), 'the service connections to be gone');

    expect(exit.code, banca.describe()).to.equal(0);
    expect(banca.actions('SHUTDOWN_TIMEOUT')).to.have.length(1);
    expect(banca.actions('SHUTDOWN_COMPLETE')[0]?.payload).to.include({ drained: false });
    expect(banca.actions('JOB_FAIL').map((entry) => entry.payload?.['job'])).to.have.members(['settlement', 'monthly-closing']);
    const runs = await db.knex('cron_runs').select('job_name', 'status').orderBy('job_name');
    expect(runs).to.deep.equal([
      { job_name: 'monthly-closing', status: 'FAILED' },
      { job_name: 'settlement', status: 'FAILED' },
    ]);

    expect(await settledByAdmin(db.knex), 'no statement of the interrupted batch is settled').to.deep.equal([]);
    const rows = await closingRows(db.knex, month);
    expect(rows.map((r) => r.dimension), 'the vendedor page committed, the interrupted ventana page and the banca page absent').to.deep.equal(Array(12).fill('vendedor'));
    expect(rows.every((r) => r.closed_by === ADMIN)).to.equal(true);
    expect(await wrongClosingRows(db.knex, month)).to.deep.equal([]);
  });

  async function startAndHoldBothRuns(shutdownTimeoutMs: string): Promise<StartedBanca & { base: string; blocker: Knex.Transaction; answers: Promise<[HttpAnswer, HttpAnswer]> }> {
    const started = await startBanca('all-in-one', { DATABASE_URL: db.url, AUTH_JWT_SECRET: SECRET, SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs, BANCA_DEMO_DATA: 'false' });
    const base = started.base!;
    const held = await db.knex.transaction();
    blocker = held;
    await held.raw('LOCK TABLE account_statements IN SHARE MODE');
    const ventana = await held('ventanas').orderBy('id').first('id', 'banca_id');
    await held('monthly_closing_balances').insert({
      closing_month: month, dimension: 'ventana', entity_id: ventana.id, banca_id: ventana.banca_id,
      ticket_count: 0, total_sales: 0, total_payouts: 0, total_commissions: 0, net_balance: 0,
      total_paid: 0, total_collected: 0, opening_balance: 0, remaining_balance: 0, closed_by: 'test-blocker',
    });

    const token = signToken({ sub: ADMIN, role: 'admin' }, SECRET, 600);
    const trigger = (path: string, body?: unknown) =>
      call(base, 'POST', path, { token, ...(body === undefined ? {} : { body }) }).catch((error: unknown): HttpAnswer => ({ status: 0, contentType: '', text: String(error), body: undefined }));
    const answers = Promise.all([trigger('/admin/jobs/settlement/trigger'), trigger('/admin/jobs/monthly-closing/trigger', { month })]);

    // Both runs are inside a statement, waiting on the test's locks.
    await waitUntil(async () => {
      const { rows } = await db.knex.raw<{ rows: Array<{ n: number }> }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ? AND application_name = ? AND wait_event_type = 'Lock'`,
        [db.name, SERVICE_APPLICATION],
      );
      return rows[0]!.n === 2 ? true : undefined;
    }, 'the settlement and the closing to wait inside their statements');
    expect(started.banca.actions('MONTHLY_CLOSING_COMPLETE')).to.deep.equal([]);
    return { ...started, base, blocker: held, answers: answers as Promise<[HttpAnswer, HttpAnswer]> };
  }
});

async function settledByAdmin(knex: Knex): Promise<string[]> {
  return (await knex('account_statements').where({ settled_by: ADMIN }).orderBy([{ column: 'date' }, { column: 'dimension' }, { column: 'entity_id' }]).select('id')).map((r: { id: string }) => r.id);
}

async function closingRows(knex: Knex, month: string): Promise<Array<{ dimension: string; entity_id: string; closed_by: string }>> {
  return knex.raw<{ rows: Array<{ dimension: string; entity_id: string; closed_by: string }> }>(
    `SELECT dimension, entity_id, closed_by FROM monthly_closing_balances WHERE closing_month = ?
     ORDER BY array_position(ARRAY['vendedor', 'ventana', 'banca'], dimension), entity_id`,
    [month],
  ).then((result) => result.rows);
}

/** Closing rows whose figures differ from the month's tickets and movements recomputed here. */
async function wrongClosingRows(knex: Knex, month: string): Promise<unknown[]> {
  const { firstDay, lastDay } = crMonthRange(month);
  const { rows } = await knex.raw(
    `
    WITH sales AS (
      SELECT d.dimension, d.entity_id, count(*) AS ticket_count, sum(t.total_amount) AS total_sales,
             sum(t.total_payout) AS total_payouts, sum(d.commission) AS total_commissions
      FROM tickets t
      CROSS JOIN LATERAL (VALUES ('vendedor', t.vendedor_id, t.commission_amount),
                                 ('ventana', t.ventana_id, t.listero_commission_amount),
                                 ('banca', t.banca_id, t.listero_commission_amount)) AS d(dimension, entity_id, commission)
      WHERE t.business_date BETWEEN ?::date AND ?::date AND t.status NOT IN ('CANCELLED', 'EXCLUDED')
      GROUP BY d.dimension, d.entity_id
    ),
    moves AS (
      SELECT dimension, entity_id,
             coalesce(sum(amount) FILTER (WHERE type = 'payment'), 0) AS total_paid,
             coalesce(sum(amount) FILTER (WHERE type = 'collection'), 0) AS total_collected
      FROM account_movements
      WHERE date BETWEEN ?::date AND ?::date AND NOT is_reversed
      GROUP BY dimension, entity_id
    )
    SELECT m.dimension, m.entity_id
    FROM monthly_closing_balances m
    LEFT JOIN sales s ON s.dimension = m.dimension AND s.entity_id = m.entity_id
    LEFT JOIN moves v ON v.dimension = m.dimension AND v.entity_id = m.entity_id
    WHERE m.closing_month = ?
      AND (m.ticket_count <> coalesce(s.ticket_count, 0) OR m.total_sales <> coalesce(s.total_sales, 0)
        OR m.total_payouts <> coalesce(s.total_payouts, 0) OR m.total_commissions <> coalesce(s.total_commissions, 0)
        OR m.total_paid <> coalesce(v.total_paid, 0) OR m.total_collected <> coalesce(v.total_collected, 0)
        OR m.opening_balance <> 0)
    `,
    [firstDay, lastDay, firstDay, lastDay, month],
  );
  return rows;
}

async function serviceBackends(db: TestDatabase): Promise<number> {
  const { rows } = await db.knex.raw<{ rows: Array<{ n: number }> }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ? AND application_name = ?`, [db.name, SERVICE_APPLICATION]);
  return rows[0]!.n;
}
