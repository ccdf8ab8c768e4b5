import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { DeliveryDisposition, DeliveryHandler } from '@banca/domain/ports';
import type { AllowanceTopologyNames } from './allowance-topology';
import type { AmqpConnection } from './amqp-connection';
import { DLQ_HEADERS, readDelivery } from './amqp-message';
import { AmqpQueueConsumer, type QueueConsumerOptions } from './amqp-queue-consumer';
import { inDeliverySpan } from './allowance-message-tracing';

/** The queue consumer's options; the queue and the log label are the allowance queue's. */
export type AllowanceConsumerOptions = Omit<QueueConsumerOptions, 'queue' | 'label'>;

/**
 * Consumes `allowance.schedule` with manual acks and bounded prefetch. Each delivery is acked,
 * rejected into the TTL retry queue, or republished to the DLQ (confirmed, with the failure's code,
 * reason, attempts and time) and then acked. When the broker drops the connection or restarts, the
 * consumer reconnects by itself until stopped.
 */
export class AmqpAllowanceConsumer {
  private readonly consumer: AmqpQueueConsumer;

  constructor(connection: AmqpConnection, options: AllowanceConsumerOptions, handle: DeliveryHandler) {
    const { names } = options.topology;
    this.consumer = new AmqpQueueConsumer(
      connection,
      { ...options, queue: names.queue, label: 'ALLOWANCE_CONSUMER' },
      async (channel, message) => {
        const delivery = readDelivery(message, names.queue);
        // The delivery's span continues the trace the run was published in, through every retry.
        const disposition = await inDeliverySpan(
          message.properties.headers,
          { messageId: delivery.messageId, attempt: delivery.previousAttempts + 1 },
          { system: 'rabbitmq', destination: names.queue },
          async (): Promise<DeliveryDisposition> => {
            try {
              return await handle(delivery);
            } catch (error) {
              // The handler classifies what it knows; anything thrown is an infrastructure failure worth a retry.
              return { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
            }
          },
        );
        try {
          if (disposition.action === 'ack') channel.ack(message);
          else if (disposition.action === 'retry') channel.nack(message, false, false);
          else await deadLetter(channel, names, message, disposition, delivery.previousAttempts + 1);
        } catch (error) {
          // The channel is gone: the broker redelivers the message to the next consumer, and the
          // unique (schedule, run) credit makes a second processing a no-op.
          options.logger.warn('ALLOWANCE_SETTLE_FAIL', { messageId: delivery.messageId, error: error instanceof Error ? error.message : String(error) });
        }
      },
    );
  }

  /** Starts consuming; resolves once the consumer is registered with the broker. */
  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Stops taking deliveries, waits for the ones in hand to be settled, and closes the channel. */
  stop(): Promise<void> {
    return this.consumer.stop();
  }

  get consuming(): boolean {
    return this.consumer.consuming;
  }
}

/** Republishes to the DLQ with what the worker said, waits for the broker's confirm, then acks the original. */
async function deadLetter(
  channel: ConfirmChannel,
  names: AllowanceTopologyNames,
  message: ConsumeMessage,
  disposition: Extract<DeliveryDisposition, { action: 'dead-letter' }>,
  attempts: number,
): Promise<void> {
  const { headers = {}, ...properties } = message.properties;
  channel.publish(names.dlqExchange, names.queue, message.content, {
    ...withoutUndefined(properties),
    persistent: true,
    headers: {
      ...headers,
      [DLQ_HEADERS.code]: disposition.code,
      [DLQ_HEADERS.reason]: disposition.reason,
      [DLQ_HEADERS.attempts]: attempts,
      [DLQ_HEADERS.at]: new Date().toISOString(),
    },
  });
  await channel.waitForConfirms();
  channel.ack(message);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
