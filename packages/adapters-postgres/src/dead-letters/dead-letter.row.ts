import { traceContextOf, type DeadLetter, type DeadLetterStatus } from '@banca/domain';

/** The `allowance_dead_letters` columns a DeadLetter is read from (`seq` stays inside the adapter). */
export const DEAD_LETTER_COLUMN_LIST = [
  'id',
  'message_key',
  'message_id',
  'schedule_id',
  'run_at',
  'reason_code',
  'reason',
  'attempts',
  'raw_body',
  'dead_lettered_at',
  'recorded_at',
  'trace_context',
  'status',
  'replay_request_id',
  'replay_claimed_at',
  'replayed_at',
  'replayed_by',
  'purged_at',
  'purged_by',
  'purge_reason',
].join(', ');

export interface DeadLetterRow {
  id: string;
  message_key: string;
  message_id: string | null;
  schedule_id: string | null;
  run_at: Date | null;
  reason_code: string;
  reason: string;
  attempts: number;
  raw_body: string | null;
  dead_lettered_at: Date;
  recorded_at: Date;
  trace_context: Record<string, unknown> | string | null;
  status: DeadLetterStatus;
  replay_request_id: string | null;
  replay_claimed_at: Date | null;
  replayed_at: Date | null;
  replayed_by: string | null;
  purged_at: Date | null;
  purged_by: string | null;
  purge_reason: string | null;
}

const instant = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const maybeInstant = (value: Date | string | null): Date | null => (value === null ? null : instant(value));

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    messageKey: row.message_key,
    messageId: row.message_id,
    scheduleId: row.schedule_id,
    runAt: maybeInstant(row.run_at),
    reasonCode: row.reason_code,
    reason: row.reason,
    attempts: row.attempts,
    rawBody: row.raw_body,
    deadLetteredAt: instant(row.dead_lettered_at),
    recordedAt: instant(row.recorded_at),
    traceContext: traceContextOf(typeof row.trace_context === 'string' ? (JSON.parse(row.trace_context) as Record<string, unknown>) : row.trace_context),
    status: row.status,
    replayRequestId: row.replay_request_id,
    replayClaimedAt: maybeInstant(row.replay_claimed_at),
    replayedAt: maybeInstant(row.replayed_at),
    replayedBy: row.replayed_by,
    purgedAt: maybeInstant(row.purged_at),
    purgedBy: row.purged_by,
    purgeReason: row.purge_reason,
  };
}
