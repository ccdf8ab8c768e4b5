import type { Knex } from 'knex';
import { KnexReconciliationRepository } from '@banca/adapters-postgres';
import { reconcileMonth } from '@banca/domain/ports';

type Rows<T> = { rows: T[] };

/** One invariant as checked: how many rows break it and a few of them. */
export interface InvariantResult {
  invariant: string;
  violations: number;
  examples: unknown[];
}

export interface InvariantReport {
  results: InvariantResult[];
  total: number;
  /** The broken invariants with their examples, for an assertion message. */
  describe(): string;
}

export interface ExpectedRuns {
  /** Every run that was due: each must end credited or a dead letter. */
  runs: ReadonlyArray<{ scheduleId: string; runAt: Date }>;
  /** `scheduleId:runAt` of every dead letter recorded (allowance_dead_letters.message_key). */
  deadLettered: ReadonlySet<string>;
}

const EXAMPLES = 3;

async function check(knex: Knex, invariant: string, sql: string, bindings: readonly unknown[] = []): Promise<InvariantResult> {
  const { rows } = await knex.raw<Rows<Record<string, unknown>>>(`SELECT * FROM (${sql}) AS broken`, bindings as Knex.RawBinding[]);
  return { invariant, violations: rows.length, examples: rows.slice(0, EXAMPLES) };
}

/** Every account's opening money: the e2e worlds keep it in e2e_deposits; elsewhere there is none to check against. */
async function hasDeposits(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw<Rows<{ found: boolean }>>("SELECT to_regclass('e2e_deposits') IS NOT NULL AS found");
  return rows[0]!.found;
}

/** The allowance money invariants (docs/architecture.md, Allowance), each as a count of offending rows. */
export async function allowanceInvariants(knex: Knex, expected?: ExpectedRuns): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  if (await hasDeposits(knex)) {
    results.push(
      await check(
        knex,
        'money conserved (guardian debits = junior credits = transactions = credits)',
        `WITH opening AS (SELECT account_id, sum(amount) AS amount FROM e2e_deposits GROUP BY account_id),
              totals AS (
                SELECT
                  (SELECT coalesce(sum(o.amount - a.balance), 0) FROM accounts a JOIN opening o ON o.account_id = a.id WHERE a.guardian_id IS NOT NULL) AS guardian_debits,
                  (SELECT coalesce(sum(a.balance - o.amount), 0) FROM accounts a JOIN opening o ON o.account_id = a.id WHERE a.junior_id IS NOT NULL) AS junior_credits,
                  (SELECT coalesce(sum(amount), 0) FROM transactions) AS transactions,
                  (SELECT coalesce(sum(amount), 0) FROM allowance_credits) AS credits)
         SELECT guardian_debits::text, junior_credits::text, transactions::text, credits::text FROM totals
         WHERE guardian_debits <> credits OR junior_credits <> credits OR transactions <> credits`,
      ),
      await check(
        knex,
        'account balance = deposits − debits + credits, never negative',
        `SELECT a.id, a.balance::text FROM accounts a
         LEFT JOIN (SELECT account_id, sum(amount) AS amount FROM e2e_deposits GROUP BY account_id) o ON o.account_id = a.id
         LEFT JOIN (SELECT from_account_id AS id, sum(amount) AS total FROM transactions GROUP BY from_account_id) d ON d.id = a.id
         LEFT JOIN (SELECT to_account_id AS id, sum(amount) AS total FROM transactions GROUP BY to_account_id) c ON c.id = a.id
         WHERE o.amount IS NULL OR a.balance <> o.amount - coalesce(d.total, 0) + coalesce(c.total, 0) OR a.balance < 0`,
      ),
    );
  } else {
    results.push(
      await check(
        knex,
        'money conserved (transactions = credits)',
        `SELECT t.total::text AS transactions, c.total::text AS credits
         FROM (SELECT coalesce(sum(amount), 0) AS total FROM transactions) t, (SELECT coalesce(sum(amount), 0) AS total FROM allowance_credits) c
         WHERE t.total <> c.total`,
      ),
    );
  }
  results.push(
    await check(
      knex,
      'no credit without its transaction',
      `SELECT c.id, c.schedule_id, c.run_at FROM allowance_credits c
       JOIN allowance_schedules s ON s.id = c.schedule_id
       LEFT JOIN transactions t ON t.id = c.transaction_id
       LEFT JOIN accounts payer ON payer.id = t.from_account_id
       LEFT JOIN accounts payee ON payee.id = t.to_account_id
       WHERE t.id IS NULL OR t.amount <> c.amount
          OR payer.guardian_id IS DISTINCT FROM s.guardian_id OR payee.junior_id IS DISTINCT FROM s.junior_id
       UNION ALL
       SELECT t.id, NULL, NULL FROM transactions t LEFT JOIN allowance_credits c ON c.transaction_id = t.id WHERE c.id IS NULL`,
    ),
    await check(
      knex,
      'at most one credit per (schedule, run)',
      'SELECT schedule_id, run_at, count(*)::int AS credits FROM allowance_credits GROUP BY schedule_id, run_at HAVING count(*) > 1',
    ),
  );
  if (expected) {
    const ids = expected.runs.map((run) => run.scheduleId);
    const runAts = expected.runs.map((run) => run.runAt.toISOString());
    const { rows } = await knex.raw<Rows<{ schedule_id: string; run_at: string }>>(
      `SELECT e.schedule_id::text, e.run_at FROM unnest(?::uuid[], ?::text[]) AS e(schedule_id, run_at)
       LEFT JOIN allowance_credits c ON c.schedule_id = e.schedule_id AND c.run_at = e.run_at::timestamptz
       WHERE c.id IS NULL`,
      [ids, runAts],
    );
    const missing = rows.filter((row) => !expected.deadLettered.has(`${row.schedule_id}:${row.run_at}`));
    results.push({ invariant: 'every due run credited or a recorded dead letter', violations: missing.length, examples: missing.slice(0, EXAMPLES) });
  }
  return results;
}

/** The banca jobs' invariants (docs/architecture.md, The banca rules): sorteos, statements, monthly closing. */
export async function bancaInvariants(knex: Knex): Promise<InvariantResult[]> {
  return [
    await check(knex, 'no duplicate sorteo', 'SELECT loteria_id, scheduled_at, count(*)::int AS n FROM sorteos GROUP BY loteria_id, scheduled_at HAVING count(*) > 1'),
    await check(
      knex,
      'no statement half-settled',
      `SELECT id, date, is_settled, can_edit, settled_at FROM account_statements
       WHERE (is_settled AND (can_edit OR settled_at IS NULL))
          OR (NOT is_settled AND (settled_at IS NOT NULL OR settled_by IS NOT NULL))`,
    ),
    await check(
      knex,
      'the settlement chain: every settled or carried-forward statement follows the one before it',
      `SELECT s.id, s.dimension, s.date, s.remaining_balance::text, p.remaining_balance::text AS previous
       FROM account_statements s
       LEFT JOIN LATERAL (
         SELECT remaining_balance FROM account_statements q
         WHERE q.dimension = s.dimension AND q.entity_id = s.entity_id AND q.date < s.date
         ORDER BY q.date DESC LIMIT 1
       ) p ON true
       WHERE (s.is_settled OR (s.ticket_count = 0 AND s.total_paid = 0 AND s.total_collected = 0))
         AND s.remaining_balance <> coalesce(p.remaining_balance, 0) + s.balance - s.total_collected + s.total_paid`,
    ),
    await check(
      knex,
      'closing rows unique per month, dimension and entity',
      'SELECT closing_month, dimension, entity_id, count(*)::int AS n FROM monthly_closing_balances GROUP BY closing_month, dimension, entity_id HAVING count(*) > 1',
    ),
    await check(
      knex,
      'closing rows whole (figures recomputed from tickets and movements)',
      `WITH months AS (SELECT DISTINCT closing_month FROM monthly_closing_balances),
       bounds AS (SELECT closing_month, to_date(closing_month, 'YYYY-MM') AS first_day,
                         (to_date(closing_month, 'YYYY-MM') + interval '1 month' - interval '1 day')::date AS last_day FROM months),
       sales AS (
         SELECT b.closing_month, d.dimension, d.entity_id, count(*) AS ticket_count, sum(t.total_amount) AS total_sales,
                sum(t.total_payout) AS total_payouts, sum(d.commission) AS total_commissions
         FROM bounds b JOIN tickets t ON t.business_date BETWEEN b.first_day AND b.last_day AND t.status NOT IN ('CANCELLED', 'EXCLUDED')
         CROSS JOIN LATERAL (VALUES ('vendedor', t.vendedor_id, t.commission_amount),
                                    ('ventana', t.ventana_id, t.listero_commission_amount),
                                    ('banca', t.banca_id, t.listero_commission_amount)) AS d(dimension, entity_id, commission)
         GROUP BY b.closing_month, d.dimension, d.entity_id),
       moves AS (
         SELECT b.closing_month, m.dimension, m.entity_id,
                coalesce(sum(m.amount) FILTER (WHERE m.type = 'payment'), 0) AS total_paid,
                coalesce(sum(m.amount) FILTER (WHERE m.type = 'collection'), 0) AS total_collected
         FROM bounds b JOIN account_movements m ON m.date BETWEEN b.first_day AND b.last_day AND NOT m.is_reversed
         GROUP BY b.closing_month, m.dimension, m.entity_id)
       SELECT c.closing_month, c.dimension, c.entity_id FROM monthly_closing_balances c
       LEFT JOIN sales s ON s.closing_month = c.closing_month AND s.dimension = c.dimension AND s.entity_id = c.entity_id
       LEFT JOIN moves v ON v.closing_month = c.closing_month AND v.dimension = c.dimension AND v.entity_id = c.entity_id
       WHERE c.ticket_count <> coalesce(s.ticket_count, 0) OR c.total_sales <> coalesce(s.total_sales, 0)
          OR c.total_payouts <> coalesce(s.total_payouts, 0) OR c.total_commissions <> coalesce(s.total_commissions, 0)
          OR c.total_paid <> coalesce(v.total_paid, 0) OR c.total_collected <> coalesce(v.total_collected, 0)`,
    ),
    await reconciliationOfEveryMonth(knex),
  ];
}

/** The product's own reconciliation of every month that has statements or month balances: each discrepancy is a violation. */
async function reconciliationOfEveryMonth(knex: Knex): Promise<InvariantResult> {
  const { rows } = await knex.raw<Rows<{ month: string }>>(
    `SELECT to_char(date, 'YYYY-MM') AS month FROM account_statements
     UNION SELECT closing_month FROM monthly_closing_balances ORDER BY month`,
  );
  const reconciliation = new KnexReconciliationRepository(knex);
  const found: InvariantResult = { invariant: 'reconciliation clean, every month', violations: 0, examples: [] };
  for (const { month } of rows) {
    const report = await reconcileMonth({ reconciliation }, { month, limit: EXAMPLES });
    found.violations += report.total;
    found.examples.push(...report.discrepancies.slice(0, EXAMPLES - found.examples.length));
  }
  return found;
}

/** Every database invariant over one schema (or database): money, credits, sorteos, statements, closings. */
export async function checkInvariants(knex: Knex, expected?: ExpectedRuns): Promise<InvariantReport> {
  const results = [...(await allowanceInvariants(knex, expected)), ...(await bancaInvariants(knex))];
  const total = results.reduce((sum, result) => sum + result.violations, 0);
  return {
    results,
    total,
    describe: () =>
      results
        .filter((result) => result.violations > 0)
        .map((result) => `${result.invariant}: ${result.violations} (e.g. ${JSON.stringify(result.examples)})`)
        .join('\n') || 'no violations',
  };
}
