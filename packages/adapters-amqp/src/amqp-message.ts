import type { ConsumeMessage, GetMessage } from 'amqplib';
import type { AllowanceDelivery } from '@banca/domain/ports';

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
  };
}
