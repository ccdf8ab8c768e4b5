import { DomainError } from '../kernel/domain-error';
import { allowanceMessageId, parseAllowanceMessage } from './allowance-message';
import type { DeadLetterMessage } from './allowance-transport.port';
import { traceContextOf, type TraceContext } from './trace-context';

/**
 * A dead letter's life (docs/architecture.md, Allowance: dead letters): `open` once recorded; `replaying` while a replay
 * request publishes its run; `replayed` once the broker confirmed it; or `purged` by an operator, with a
 * reason. A replayed or purged dead letter never changes again.
 */
export const DEAD_LETTER_STATUSES = ['open', 'replaying', 'replayed', 'purged'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** One dead-lettered allowance message as the store keeps it. */
export interface DeadLetter {
  id: string;
  /** `scheduleId:runAt` of a run; `malformed:<message id>:<digest of the body>` of a message that is not one. */
  messageKey: string;
  messageId: string | null;
  /** Null for a malformed message, which names no run. */
  scheduleId: string | null;
  runAt: Date | null;
  /** The failure's stable code (`ALLOWANCE.INSUFFICIENT_FUNDS`, `VALIDATION.INVALID_INPUT`, …), `UNKNOWN` when none was given. */
  reasonCode: string;
  reason: string;
  /** Deliveries before it was given up, the first included. */
  attempts: number;
  /** The body as it came, at most MAX_DEAD_LETTER_BODY_CHARS, for a malformed message only (a run's body is its key). */
  rawBody: string | null;
  deadLetteredAt: Date;
  recordedAt: Date;
  /** The trace the run was published in: a replay's publish links to it. Null when the message carried none. */
  traceContext: TraceContext | null;
  status: DeadLetterStatus;
  replayRequestId: string | null;
  replayClaimedAt: Date | null;
  replayedAt: Date | null;
  replayedBy: string | null;
  purgedAt: Date | null;
  purgedBy: string | null;
  purgeReason: string | null;
}

export type NewDeadLetter = Pick<
  DeadLetter,
  'messageKey' | 'messageId' | 'scheduleId' | 'runAt' | 'reasonCode' | 'reason' | 'attempts' | 'rawBody' | 'deadLetteredAt' | 'recordedAt' | 'traceContext'
>;

/** The longest malformed body kept; the rest is cut (the key still tells bodies apart by a digest of all of it). */
export const MAX_DEAD_LETTER_BODY_CHARS = 4096;
export const MAX_DEAD_LETTER_REASON_CHARS = 1000;
export const MAX_PURGE_REASON_CHARS = 500;
/** The most ids one replay or purge request names. */
export const MAX_DEAD_LETTER_IDS = 500;
/**
 * A replay claim older than this is taken to belong to a request that died between claiming and
 * finishing: the dead letter can be replayed (or purged) again. A live request finishes in seconds.
 */
export const STALE_REPLAY_CLAIM_MS = 5 * 60_000;

const REASON_CODE = /^[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)?$/;
const CODE_IN_REASON = /(?:^|: )([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*): /;
const MAX_REASON_CODE_CHARS = 64;
const MAX_MESSAGE_ID_CHARS = 255;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isDeadLetterReasonCode = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_REASON_CODE_CHARS && REASON_CODE.test(value);

export const isDeadLetterId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * What the store records of a message taken from the DLQ: a run (its schedule and occurrence, keyed
 * `scheduleId:runAt` whatever its message id) or a malformed message (its body kept, bounded). The
 * reason code is the one the worker gave, else the first `AREA.REASON:` in the reason, else `UNKNOWN`.
 */
export function deadLetterOf(message: DeadLetterMessage, recordedAt: Date): NewDeadLetter {
  const reason = storable(message.reason ?? '').trim() || 'no reason given';
  const messageId = message.messageId === null ? null : cut(storable(message.messageId), MAX_MESSAGE_ID_CHARS);
  const common = {
    messageId,
    reasonCode: reasonCodeOf(message.reasonCode, reason),
    reason: cut(reason, MAX_DEAD_LETTER_REASON_CHARS),
    attempts: Number.isSafeInteger(message.attempts) && message.attempts >= 0 ? message.attempts : 1,
    deadLetteredAt: message.deadLetteredAt ?? recordedAt,
    recordedAt,
    traceContext: message.traceContext ? traceContextOf({ ...message.traceContext }) : null,
  };
  const run = runOf(message.rawBody);
  if (run) return { ...common, messageKey: allowanceMessageId(run.scheduleId, run.runAt), scheduleId: run.scheduleId, runAt: run.runAt, rawBody: null };
  return {
    ...common,
    messageKey: `malformed:${messageId ?? ''}:${digest(message.rawBody)}`,
    scheduleId: null,
    runAt: null,
    rawBody: storable(cut(message.rawBody, MAX_DEAD_LETTER_BODY_CHARS)),
  };
}

/** Text a database keeps as it is: NUL, which PostgreSQL text cannot hold, becomes U+FFFD. */
const storable = (text: string): string => text.split('\u0000').join('\uFFFD');

/** At most `max` UTF-16 units, never half of a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function runOf(rawBody: string): { scheduleId: string; runAt: Date } | null {
  try {
    return parseAllowanceMessage(rawBody);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

function reasonCodeOf(given: string | null, reason: string): string {
  if (isDeadLetterReasonCode(given)) return given;
  const found = CODE_IN_REASON.exec(reason)?.[1];
  return found !== undefined && isDeadLetterReasonCode(found) ? found : 'UNKNOWN';
}

/**
 * A 106-bit digest of a text (two 53-bit cyrb53 hashes with different seeds), as 28 hex digits: tells
 * malformed bodies apart in their key without keeping them whole. Not for secrets.
 */
export function digest(text: string): string {
  return [0x9e3779b1, 0x85ebca77].map((seed) => cyrb53(text, seed).toString(16).padStart(14, '0')).join('');
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
