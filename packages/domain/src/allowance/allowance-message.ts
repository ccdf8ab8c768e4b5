import { DomainError } from '../kernel/domain-error';
import { parseIsoInstant } from './iso-instant';
import { strictObject } from './strict-object';
import type { TraceContext } from './trace-context';

/** One due run on the queue: body `{ scheduleId, runAt }`, broker message id `scheduleId:runAt`. */
export interface AllowanceRunMessage {
  scheduleId: string;
  /** ISO instant, as `Date.prototype.toISOString` writes it. */
  runAt: string;
  messageId: string;
  /** A replayed dead letter's original trace: the publish links to it (docs/architecture.md, Tracing). */
  replayOf?: TraceContext;
}

export interface ParsedAllowanceMessage {
  scheduleId: string;
  runAt: Date;
}

// Ids are opaque (uuid, serial, prefixed) but never contain ':' (the message id separator),
// whitespace or anything a query could trip on.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isAllowanceId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** The broker message id of a run: publishing a run twice gives the same id. */
export function allowanceMessageId(scheduleId: string, runAt: Date | string): string {
  return `${scheduleId}:${typeof runAt === 'string' ? runAt : runAt.toISOString()}`;
}

export function allowanceRunMessage(scheduleId: string, runAt: Date): AllowanceRunMessage {
  const iso = runAt.toISOString();
  return { scheduleId, runAt: iso, messageId: allowanceMessageId(scheduleId, iso) };
}

/**
 * Reads a queue message body: a JSON object (or its JSON text) with exactly `scheduleId` and `runAt`.
 * Throws VALIDATION.INVALID_INPUT or TIME.INVALID_INSTANT; such a message can never succeed.
 */
export function parseAllowanceMessage(raw: unknown): ParsedAllowanceMessage {
  const record = strictObject(typeof raw === 'string' ? parseJson(raw) : raw, 'allowance message', { required: ['scheduleId', 'runAt'] });
  const scheduleId = record['scheduleId'];
  if (!isAllowanceId(scheduleId)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'scheduleId must be an id of letters, digits, "-" or "_"', { field: 'scheduleId' });
  }
  return { scheduleId, runAt: parseIsoInstant(record['runAt'], 'runAt') };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'allowance message is not valid JSON', { length: text.length });
  }
}
