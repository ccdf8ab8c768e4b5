import type { ConsumeMessage, GetMessage } from 'amqplib';

/** A delivery as the worker sees it: the body (parsed when it is JSON) and how often it was tried before. */
export interface AllowanceDelivery {
  messageId: string | null;
  /** The parsed JSON body, or the raw text when it is not JSON (a malformed message, for the DLQ). */
  body: unknown;
  rawBody: string;
  /** How many times this message already went through the retry queue (from x-death). */
  previousAttempts: number;
  redelivered: boolean;
}

export type DeliveryDisposition =
  | { action: 'ack' }
  | { action: 'retry'; reason: string }
  | { action: 'dead-letter'; reason: string };

interface XDeath {
  queue?: string;
  reason?: string;
  count?: number | bigint;
}

/** Reads a delivery; the x-death entry of the main queue counts the rejections that sent it to retry. */
export function readDelivery(message: ConsumeMessage | GetMessage, mainQueue: string): AllowanceDelivery {
  const rawBody = message.content.toString('utf8');
  let body: unknown = rawBody;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Not JSON: the domain refuses it as malformed and it goes to the DLQ as it came.
  }
  const deaths = (message.properties.headers?.['x-death'] ?? []) as XDeath[];
  const rejected = Array.isArray(deaths) ? deaths.find((death) => death.queue === mainQueue && death.reason === 'rejected') : undefined;
  return {
    messageId: typeof message.properties.messageId === 'string' ? message.properties.messageId : null,
    body,
    rawBody,
    previousAttempts: rejected?.count === undefined ? 0 : Number(rejected.count),
    redelivered: message.fields.redelivered,
  };
}
