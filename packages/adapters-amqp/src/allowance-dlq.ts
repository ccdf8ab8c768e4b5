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
