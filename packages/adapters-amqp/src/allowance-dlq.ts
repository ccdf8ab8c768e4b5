import type { AllowanceQueueDepths } from '@banca/domain/ports';
import type { AllowanceTopologyNames } from './allowance-topology';
import type { AmqpConnection } from './amqp-connection';


/** Messages waiting in the main, retry and dead-letter queues (for the admin API and metrics). */
export async function allowanceQueueDepths(connection: AmqpConnection, names: AllowanceTopologyNames): Promise<AllowanceQueueDepths> {
  const channel = await (await connection.get()).createChannel();
  try {
    const [main, retry, dlq] = [await channel.checkQueue(names.queue), await channel.checkQueue(names.retryQueue), await channel.checkQueue(names.dlq)];
    return { ready: main.messageCount, retrying: retry.messageCount, deadLettered: dlq.messageCount };
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/**
 * Moves up to `limit` messages from the DLQ back to the main queue, one at a time: each is
 * republished (confirmed) before it is acked from the DLQ, so a crash in between leaves a copy in
 * both places, never in neither. The retry count starts over; the unique (schedule, run) credit
 * makes a replayed run that was already credited a no-op. At most the depth found at the start is
 * taken: a replayed message that fails again joins the DLQ behind it and waits for the next replay,
 * instead of going round until `limit`.
 */
export async function replayAllowanceDlq(
  connection: AmqpConnection,
  names: AllowanceTopologyNames,
  options: { limit: number; onProgress?: (done: number) => void },
): Promise<{ replayed: number }> {
  const channel = await (await connection.get()).createConfirmChannel();
  let replayed = 0;
  try {
    const { messageCount } = await channel.checkQueue(names.dlq);
    const most = Math.min(options.limit, messageCount);
    while (replayed < most) {
      const message = await channel.get(names.dlq, { noAck: false });
      if (!message) break;
      const { headers = {}, ...properties } = message.properties;
      const { 'x-death': _death, 'x-first-death-exchange': _e, 'x-first-death-queue': _q, 'x-first-death-reason': _r, ...kept } = headers;
      channel.sendToQueue(names.queue, message.content, {
        ...Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined && v !== null)),
        persistent: true,
        headers: { ...kept, 'x-replayed-at': new Date().toISOString() },
      });
      await channel.waitForConfirms();
      channel.ack(message);
      replayed += 1;
      options.onProgress?.(replayed);
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
  return { replayed };
}
