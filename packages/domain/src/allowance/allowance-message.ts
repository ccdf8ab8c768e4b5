import { DomainError } from '../kernel/domain-error';
import { Money } from '../money/money';
import { type AllowanceFrequency, isAllowanceFrequency } from './allowance-occurrences';
import { parseIsoInstant } from './iso-instant';
import { strictObject } from './strict-object';
import type { TraceContext } from './trace-context';

/**
 * The schedule's terms when its run was published. The worker checks the run against them and the
 * ledger credits only while the stored schedule still has exactly these terms, so a credit needs no
 * read of the schedule first; when they no longer hold, the worker reads the schedule and decides on
 * what is stored (docs/architecture.md, Allowance).
 */
export interface AllowanceRunTerms {
  guardianId: string;
  juniorId: string;
  /** Money as written by `Money.toString`. */
  amount: string;
  frequency: AllowanceFrequency;
  /** ISO instant, as `Date.prototype.toISOString` writes it. */
  anchorAt: string;
}

/**
 * One due run on the queue: body `{ scheduleId, runAt, terms? }`, broker message id `scheduleId:runAt`.
 * A body without `terms` (a replay, another publisher) is as valid: the worker then reads the schedule.
 */
export interface AllowanceRunMessage {
  scheduleId: string;
  /** ISO instant, as `Date.prototype.toISOString` writes it. */
  runAt: string;
  messageId: string;
  terms?: AllowanceRunTerms;
  /** A replayed dead letter's original trace: the publish links to it (docs/architecture.md, Tracing). */
  replayOf?: TraceContext;
}

export interface ParsedAllowanceRunTerms {
  guardianId: string;
  juniorId: string;
  amount: string;
  frequency: AllowanceFrequency;
  anchorAt: Date;
}

export interface ParsedAllowanceMessage {
  scheduleId: string;
  runAt: Date;
  /** Null when the message carries none. */
  terms: ParsedAllowanceRunTerms | null;
}

// Ids are opaque (uuid, serial, prefixed) but never contain ':' (the message id separator),
// whitespace or anything a query could trip on.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isAllowanceId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** The broker message id of a run: publishing a run twice gives the same id. */
export function allowanceMessageId(scheduleId: string, runAt: Date | string): string {
  return `${scheduleId}:${typeof runAt === 'string' ? runAt : runAt.toISOString()}`;
}

/** The message of a run; with the schedule's terms when the publisher has them at hand. */
export function allowanceRunMessage(
  scheduleId: string,
  runAt: Date,
  terms?: { guardianId: string; juniorId: string; amount: string; frequency: AllowanceFrequency; anchorAt: Date },
): AllowanceRunMessage {
  const iso = runAt.toISOString();
  const message: AllowanceRunMessage = { scheduleId, runAt: iso, messageId: allowanceMessageId(scheduleId, iso) };
  if (terms !== undefined) {
    const { guardianId, juniorId, amount, frequency, anchorAt } = terms;
    message.terms = { guardianId, juniorId, amount, frequency, anchorAt: anchorAt.toISOString() };
  }
  return message;
}

/** The body a transport sends: the run, and its terms when the message has them. */
export function allowanceMessageBody(message: AllowanceRunMessage): string {
  const { scheduleId, runAt, terms } = message;
  return JSON.stringify(terms === undefined ? { scheduleId, runAt } : { scheduleId, runAt, terms });
}

/**
 * Reads a queue message body: a JSON object (or its JSON text) with exactly `scheduleId`, `runAt` and
 * optionally `terms` (exactly `guardianId`, `juniorId`, `amount`, `frequency`, `anchorAt`).
 * Throws VALIDATION.INVALID_INPUT, MONEY.* or TIME.INVALID_INSTANT; such a message can never succeed.
 */
export function parseAllowanceMessage(raw: unknown): ParsedAllowanceMessage {
  const record = strictObject(typeof raw === 'string' ? parseJson(raw) : raw, 'allowance message', { required: ['scheduleId', 'runAt'], optional: ['terms'] });
  const scheduleId = idField(record, 'scheduleId');
  const runAt = parseIsoInstant(record['runAt'], 'runAt');
  return { scheduleId, runAt, terms: record['terms'] === undefined ? null : parseTerms(record['terms']) };
}

function parseTerms(raw: unknown): ParsedAllowanceRunTerms {
  const record = strictObject(raw, 'allowance message terms', { required: ['guardianId', 'juniorId', 'amount', 'frequency', 'anchorAt'] });
  const frequency = record['frequency'];
  if (!isAllowanceFrequency(frequency)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'terms.frequency must be DAILY, WEEKLY or MONTHLY', { field: 'terms.frequency' });
  }
  const amount = record['amount'];
  if (typeof amount !== 'string') throw new DomainError('VALIDATION.INVALID_INPUT', 'terms.amount must be a string of money', { field: 'terms.amount' });
  return {
    guardianId: idField(record, 'guardianId', 'terms.'),
    juniorId: idField(record, 'juniorId', 'terms.'),
    amount: Money.parsePositive(amount).toString(),
    frequency,
    anchorAt: parseIsoInstant(record['anchorAt'], 'terms.anchorAt'),
  };
}

function idField(record: Record<string, unknown>, name: string, prefix = ''): string {
  const value = record[name];
  if (!isAllowanceId(value)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `${prefix}${name} must be an id of letters, digits, "-" or "_"`, { field: `${prefix}${name}` });
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'allowance message is not valid JSON', { length: text.length });
  }
}
