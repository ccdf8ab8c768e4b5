import type { Channel, ConfirmChannel } from 'amqplib';

/** Names of the allowance topology (docs/architecture.md, Allowance); everything derives from the main queue's name. */
export interface AllowanceTopologyNames {
  queue: string;
  retryExchange: string;
  retryQueue: string;
  dlqExchange: string;
  dlq: string;
}

export function allowanceTopologyNames(queue = 'allowance.schedule'): AllowanceTopologyNames {
  return {
    queue,
    retryExchange: `${queue}.retry.exchange`,
    retryQueue: `${queue}.retry`,
    dlqExchange: `${queue}.dlq.exchange`,
    dlq: `${queue}.dlq`,
  };
}

export interface AllowanceTopologyOptions {
  names: AllowanceTopologyNames;
  /** How long a failed message waits in the retry queue before it returns to the main queue. */
  retryDelayMs: number;
}

/**
 * Declares the allowance queues and exchanges; idempotent, so every process asserts it at start-up.
 * A message rejected without requeue from the main queue dead-letters to the retry exchange, waits
 * `retryDelayMs` in the retry queue, then dead-letters back to the main queue (the x-death header
 * counts the attempts). The DLQ holds what is given up on.
 */
export async function assertAllowanceTopology(channel: Channel | ConfirmChannel, options: AllowanceTopologyOptions): Promise<void> {
  const { names, retryDelayMs } = options;
  if (!Number.isInteger(retryDelayMs) || retryDelayMs <= 0) throw new RangeError(`retry delay must be a positive integer of milliseconds, got ${retryDelayMs}`);
  await channel.assertExchange(names.retryExchange, 'direct', { durable: true });
  await channel.assertExchange(names.dlqExchange, 'direct', { durable: true });
  await channel.assertQueue(names.queue, {
    durable: true,
    deadLetterExchange: names.retryExchange,
    deadLetterRoutingKey: names.queue,
  });
  await channel.assertQueue(names.retryQueue, {
    durable: true,
    messageTtl: retryDelayMs,
    deadLetterExchange: '',
    deadLetterRoutingKey: names.queue,
  });
  await channel.bindQueue(names.retryQueue, names.retryExchange, names.queue);
  await channel.assertQueue(names.dlq, { durable: true });
  await channel.bindQueue(names.dlq, names.dlqExchange, names.queue);
}
