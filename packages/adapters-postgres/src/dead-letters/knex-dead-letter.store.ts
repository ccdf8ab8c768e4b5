import type { DeadLetter, NewDeadLetter } from '@banca/domain';
import type { DeadLetterListQuery, DeadLetterReplayClaim, DeadLetterStore } from '@banca/domain/ports';
import type { Knex } from 'knex';
import { DEAD_LETTER_COLUMN_LIST as COLUMNS, toDeadLetter, type DeadLetterRow } from './dead-letter.row';

type Rows<T> = { rows: T[] };

// A row a replay may take: it names a run, and is open or its replay claim is stale.
const CLAIMABLE = `schedule_id IS NOT NULL AND (status = 'open' OR (status = 'replaying' AND replay_claimed_at < ?))`;

/**
 * The dead-letter store on PostgreSQL and PGlite (docs/architecture.md, Allowance: dead letters): each
 * change one guarded statement, claims with row locks (`FOR UPDATE`, `SKIP LOCKED` for a replay of all)
 * so concurrent requests never share a row.
 */
export class KnexDeadLetterStore implements DeadLetterStore {
  constructor(private readonly knex: Knex) {}

  async record(letter: NewDeadLetter): Promise<boolean> {
    const { rows } = await this.knex.raw<Rows<{ id: string }>>(
      `INSERT INTO allowance_dead_letters
         (message_key, message_id, schedule_id, run_at, reason_code, reason, attempts, raw_body, dead_lettered_at, recorded_at, trace_context)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
       ON CONFLICT (message_key) WHERE status = 'open' DO NOTHING
       RETURNING id`,
      [
        letter.messageKey,
        letter.messageId,
        letter.scheduleId,
        letter.runAt,
        letter.reasonCode,
        letter.reason,
        letter.attempts,
        letter.rawBody,
        letter.deadLetteredAt,
        letter.recordedAt,
        letter.traceContext === null ? null : JSON.stringify(letter.traceContext),
      ],
    );
    return rows.length === 1;
  }

  async findById(id: string): Promise<DeadLetter | null> {
    const { rows } = await this.knex.raw<Rows<DeadLetterRow>>(`SELECT ${COLUMNS} FROM allowance_dead_letters WHERE id = ?`, [id]);
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  async findByIds(ids: readonly string[]): Promise<DeadLetter[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.knex.raw<Rows<DeadLetterRow>>(`SELECT ${COLUMNS} FROM allowance_dead_letters WHERE id = ANY(?::uuid[])`, [[...ids]]);
    return rows.map(toDeadLetter);
  }

  async list(query: DeadLetterListQuery): Promise<DeadLetter[]> {
    const conditions: string[] = [];
    const bindings: Knex.RawBinding[] = [];
    const where = (condition: string, ...values: Knex.RawBinding[]) => {
      conditions.push(condition);
      bindings.push(...values);
    };
    if (query.status !== null) where('status = ?', query.status);
    if (query.reasonCode !== null) where('reason_code = ?', query.reasonCode);
    if (query.scheduleId !== null) where('schedule_id = ?', query.scheduleId);
    if (query.from !== null) where('dead_lettered_at >= ?', query.from);
    if (query.to !== null) where('dead_lettered_at < ?', query.to);
    if (query.after !== null) where('(dead_lettered_at, id) < (?, ?::uuid)', query.after.deadLetteredAt, query.after.id);
    const { rows } = await this.knex.raw<Rows<DeadLetterRow>>(
      `SELECT ${COLUMNS} FROM allowance_dead_letters
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY dead_lettered_at DESC, id DESC
       LIMIT ?`,
      [...bindings, query.limit],
    );
    return rows.map(toDeadLetter);
  }

  async countOpen(): Promise<number> {
    const { rows } = await this.knex.raw<Rows<{ n: number }>>("SELECT count(*)::int AS n FROM allowance_dead_letters WHERE status IN ('open', 'replaying')");
    return rows[0]!.n;
  }

  async latestPosition(): Promise<number> {
    const { rows } = await this.knex.raw<Rows<{ seq: string }>>('SELECT coalesce(max(seq), 0)::text AS seq FROM allowance_dead_letters');
    return Number(rows[0]!.seq);
  }

  async claimForReplay(claim: DeadLetterReplayClaim): Promise<DeadLetter[]> {
    const chosen =
      'ids' in claim
        ? { sql: `id = ANY(?::uuid[]) AND ${CLAIMABLE} ORDER BY id FOR UPDATE`, bindings: [[...claim.ids], claim.staleBefore] }
        : { sql: `seq <= ? AND ${CLAIMABLE} ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED`, bindings: [claim.upTo, claim.staleBefore, claim.limit] };
    if ('ids' in claim && claim.ids.length === 0) return [];
    const { rows } = await this.knex.raw<Rows<DeadLetterRow & { seq: string }>>(
      `UPDATE allowance_dead_letters SET status = 'replaying', replay_request_id = ?, replay_claimed_at = ?
       WHERE id IN (SELECT id FROM allowance_dead_letters WHERE ${chosen.sql})
       RETURNING ${COLUMNS}, seq::text AS seq`,
      [claim.requestId, claim.claimedAt, ...(chosen.bindings as Knex.RawBinding[])],
    );
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toDeadLetter);
  }

  async markReplayed(input: { requestId: string; ids: readonly string[]; replayedBy: string; replayedAt: Date }): Promise<string[]> {
    if (input.ids.length === 0) return [];
    const { rows } = await this.knex.raw<Rows<{ id: string }>>(
      `UPDATE allowance_dead_letters SET status = 'replayed', replayed_at = ?, replayed_by = ?
       WHERE id = ANY(?::uuid[]) AND status = 'replaying' AND replay_request_id = ?
       RETURNING id`,
      [input.replayedAt, input.replayedBy, [...input.ids], input.requestId],
    );
    return rows.map((row) => row.id);
  }

  async releaseReplay(requestId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    // The first row of each run, and only when the run has no open dead letter: one open row per key.
    const { rows } = await this.knex.raw<Rows<{ id: string }>>(
      `UPDATE allowance_dead_letters AS d SET status = 'open', replay_request_id = NULL, replay_claimed_at = NULL
       WHERE d.id IN (
         SELECT DISTINCT ON (message_key) id FROM allowance_dead_letters
         WHERE id = ANY(?::uuid[]) AND status = 'replaying' AND replay_request_id = ?
         ORDER BY message_key, seq
       )
       AND NOT EXISTS (SELECT 1 FROM allowance_dead_letters AS o WHERE o.message_key = d.message_key AND o.status = 'open')
       RETURNING d.id`,
      [[...ids], requestId],
    );
    return rows.length;
  }

  async purge(input: { ids: readonly string[]; reason: string; purgedBy: string; purgedAt: Date; staleBefore: Date }): Promise<string[]> {
    if (input.ids.length === 0) return [];
    const { rows } = await this.knex.raw<Rows<{ id: string }>>(
      `UPDATE allowance_dead_letters SET status = 'purged', purged_at = ?, purged_by = ?, purge_reason = ?
       WHERE id = ANY(?::uuid[]) AND (status = 'open' OR (status = 'replaying' AND replay_claimed_at < ?))
       RETURNING id`,
      [input.purgedAt, input.purgedBy, input.reason, [...input.ids], input.staleBefore],
    );
    return rows.map((row) => row.id);
  }
}
