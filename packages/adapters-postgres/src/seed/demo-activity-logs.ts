import type { Knex } from 'knex';

const ACTIONS = ['SORTEO_OPENED', 'TICKET_CANCELLED', 'ACCOUNT_MOVEMENT_CREATED', 'SETTLEMENT_CONFIG_UPDATED', 'USER_LOGIN', 'SORTEO_EVALUATED'];

/**
 * Sixty activity-log entries, one every 36 hours back from `now` (90 days): the older half is past the
 * 45-day retention, so the cleanup job has work on a fresh demo.
 */
export async function insertDemoActivityLogs(trx: Knex.Transaction, now: Date): Promise<void> {
  await trx.raw(
    `
    INSERT INTO activity_logs (created_at, actor_id, action, target_type, target_id, details)
    SELECT ?::timestamptz - g.n * interval '36 hours', 'admin-demo', (?::text[])[1 + g.n % ?],
           'sorteo', md5('banca-demo:log-target:' || g.n)::uuid::text, jsonb_build_object('demo', true, 'sequence', g.n)
    FROM generate_series(1, 60) AS g(n)
    `,
    [now, ACTIONS, ACTIONS.length],
  );
}
