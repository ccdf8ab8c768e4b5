import type { ConsumeMessage, GetMessage } from 'amqplib';
import { traceContextOf } from '@banca/domain';
import type { AllowanceDelivery, DeadLetterMessage } from '@banca/domain/ports';

interface XDeath {
  queue?: string;
  reason?: string;
  count?: number | bigint;
}

/** The headers a worker puts on a message it dead-letters. */
export const DLQ_HEADERS = { code: 'x-dlq-code', reason: 'x-dlq-reason', attempts: 'x-dlq-attempts', at: 'x-dlq-at' } as const;

/** Reads a delivery; the x-death entry of the main queue counts the rejections that sent it to retry. */
export function readDelivery(message: ConsumeMessage | GetMessage, mainQueue: string): AllowanceDelivery {
  const rawBody = message.content.toString('utf8');
  let body: unknown = rawBody;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Not JSON: the domain refuses it as malformed and it goes to the DLQ as it came.
  }
  return {
    messageId: typeof message.properties.messageId === 'string' ? message.properties.messageId : null,
    body,
    rawBody,
    previousAttempts: previousAttempts(message, mainQueue),
  };
}

/**
 * Reads a message of the DLQ. A message a worker dead-lettered carries its code, reason, attempts and
 * time; one put there by anyone else may carry none, and its attempts are counted from x-death.
 */
export function readDeadLetter(message: ConsumeMessage | GetMessage, mainQueue: string): DeadLetterMessage {
  const headers = message.properties.headers ?? {};
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null);
  const attempts = Number(headers[DLQ_HEADERS.attempts]);
  const at = text(headers[DLQ_HEADERS.at]);
  const deadLetteredAt = at === null ? null : new Date(at);
  return {
    messageId: typeof message.properties.messageId === 'string' ? message.properties.messageId : null,
    rawBody: message.content.toString('utf8'),
    reasonCode: text(headers[DLQ_HEADERS.code]),
    reason: text(headers[DLQ_HEADERS.reason]),
    attempts: Number.isSafeInteger(attempts) && attempts >= 1 ? attempts : previousAttempts(message, mainQueue) + 1,
    deadLetteredAt: deadLetteredAt !== null && !Number.isNaN(deadLetteredAt.getTime()) ? deadLetteredAt : null,
    traceContext: traceContextOf(headers),
  };
}

function previousAttempts(message: ConsumeMessage | GetMessage, mainQueue: string): number {
  const deaths = (message.properties.headers?.['x-death'] ?? []) as XDeath[];
  const rejected = Array.isArray(deaths) ? deaths.find((death) => death.queue === mainQueue && death.reason === 'rejected') : undefined;
  return rejected?.count === undefined ? 0 : Number(rejected.count);
}
