import { expect } from 'chai';
import type { Knex } from 'knex';

type Rows<T> = { rows: T[] };

export interface MoneyTotals {
  credits: number;
  transactions: number;
  /** Decimal strings, exact. */
  guardianDebits: string;
  juniorCredits: string;
  transactionsTotal: string;
  creditsTotal: string;
}

/**
 * The money invariants of the allowance pipeline, checked in SQL with exact numerics over the
 * world's schema (its `e2e_deposits` hold every account's opening balance and top-ups):
 * - what guardians lost (opening − balance) = what juniors gained (balance − opening)
 *   = the sum of the transactions = the sum of the credits;
 * - every account's balance = its deposits − its outgoing transactions + its incoming ones, never negative;
 * - every credit has its transaction (same amount, from the schedule's guardian to its junior,
 *   referenced `scheduleId:runAt`), and every transaction its credit;
 * - at most one credit per (schedule, run_at), and each credited schedule's last_run_at is its latest credit.
 */
export async function assertMoneyConserved(knex: Knex): Promise<MoneyTotals> {
  const { rows } = await knex.raw<Rows<MoneyTotals>>(`
    SELECT
      (SELECT count(*)::int FROM allowance_credits) AS credits,
      (SELECT count(*)::int FROM transactions) AS transactions,
      (SELECT coalesce(sum(o.opening - a.balance), 0)::numeric(20,2)::text
         FROM accounts AS a JOIN (SELECT account_id, sum(amount) AS opening FROM e2e_deposits GROUP BY account_id) AS o ON o.account_id = a.id
         WHERE a.guardian_id IS NOT NULL) AS "guardianDebits",
      (SELECT coalesce(sum(a.balance - o.opening), 0)::numeric(20,2)::text
         FROM accounts AS a JOIN (SELECT account_id, sum(amount) AS opening FROM e2e_deposits GROUP BY account_id) AS o ON o.account_id = a.id
         WHERE a.junior_id IS NOT NULL) AS "juniorCredits",
      (SELECT coalesce(sum(amount), 0)::numeric(20,2)::text FROM transactions) AS "transactionsTotal",
      (SELECT coalesce(sum(amount), 0)::numeric(20,2)::text FROM allowance_credits) AS "creditsTotal"
  `);
  const totals = rows[0]!;
  expect(
    { guardianDebits: totals.guardianDebits, juniorCredits: totals.juniorCredits, transactionsTotal: totals.transactionsTotal },
    'guardian debits = junior credits = transactions = credits',
  ).to.deep.equal({ guardianDebits: totals.creditsTotal, juniorCredits: totals.creditsTotal, transactionsTotal: totals.creditsTotal });
  expect(totals.transactions, 'one transaction per credit').to.equal(totals.credits);

  const accounts = await knex.raw<Rows<{ id: string; balance: string; opening: string | null; outgoing: string; incoming: string }>>(`
    SELECT a.id, a.balance::text, o.opening::text, coalesce(d.total, 0)::text AS outgoing, coalesce(c.total, 0)::text AS incoming
    FROM accounts AS a
    LEFT JOIN (SELECT account_id, sum(amount) AS opening FROM e2e_deposits GROUP BY account_id) AS o ON o.account_id = a.id
    LEFT JOIN (SELECT from_account_id AS id, sum(amount) AS total FROM transactions GROUP BY from_account_id) AS d ON d.id = a.id
    LEFT JOIN (SELECT to_account_id AS id, sum(amount) AS total FROM transactions GROUP BY to_account_id) AS c ON c.id = a.id
    WHERE o.opening IS NULL
       OR a.balance <> o.opening - coalesce(d.total, 0) + coalesce(c.total, 0)
       OR a.balance < 0
  `);
  expect(accounts.rows, 'accounts whose balance is not deposits − debits + credits').to.deep.equal([]);

  const wrongWay = await knex.raw<Rows<{ id: string }>>(`
    SELECT t.id FROM transactions AS t
    JOIN accounts AS payer ON payer.id = t.from_account_id
    JOIN accounts AS payee ON payee.id = t.to_account_id
    WHERE payer.guardian_id IS NULL OR payee.junior_id IS NULL
  `);
  expect(wrongWay.rows, 'transactions not from a guardian to a junior').to.deep.equal([]);

  const orphanCredits = await knex.raw<Rows<{ id: string }>>(`
    SELECT c.id FROM allowance_credits AS c
    JOIN allowance_schedules AS s ON s.id = c.schedule_id
    LEFT JOIN transactions AS t ON t.id = c.transaction_id
    LEFT JOIN accounts AS payer ON payer.id = t.from_account_id
    LEFT JOIN accounts AS payee ON payee.id = t.to_account_id
    WHERE t.id IS NULL
       OR t.amount <> c.amount
       OR payer.guardian_id IS DISTINCT FROM s.guardian_id
       OR payee.junior_id IS DISTINCT FROM s.junior_id
       OR t.reference <> c.schedule_id::text || ':' || to_char(c.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  `);
  expect(orphanCredits.rows, 'credits without their own transaction').to.deep.equal([]);

  const orphanTransactions = await knex.raw<Rows<{ id: string }>>(`
    SELECT t.id FROM transactions AS t LEFT JOIN allowance_credits AS c ON c.transaction_id = t.id WHERE c.id IS NULL
  `);
  expect(orphanTransactions.rows, 'transactions without a credit').to.deep.equal([]);

  const duplicates = await knex.raw<Rows<{ schedule_id: string; run_at: Date; count: number }>>(`
    SELECT schedule_id, run_at, count(*)::int AS count FROM allowance_credits GROUP BY schedule_id, run_at HAVING count(*) > 1
  `);
  expect(duplicates.rows, 'runs credited more than once').to.deep.equal([]);

  const lagging = await knex.raw<Rows<{ id: string }>>(`
    SELECT s.id FROM allowance_schedules AS s
    LEFT JOIN (SELECT schedule_id, max(run_at) AS latest FROM allowance_credits GROUP BY schedule_id) AS c ON c.schedule_id = s.id
    WHERE s.last_run_at IS DISTINCT FROM c.latest OR s.next_run_at <= c.latest
  `);
  expect(lagging.rows, 'schedules whose last_run_at / next_run_at disagree with their credits').to.deep.equal([]);

  return totals;
}
