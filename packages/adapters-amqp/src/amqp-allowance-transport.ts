import type { AllowanceQueueDepths, AllowanceTransport, DeadLetterHandler, DeliveryHandler, Logger } from '@banca/domain/ports';
import { allowanceQueueDepths } from './allowance-dlq';
import { allowanceTopologyNames, assertAllowanceTopology } from './allowance-topology';
import { AmqpAllowanceConsumer } from './amqp-allowance.consumer';
import { AmqpAllowancePublisher } from './amqp-allowance.publisher';
import { AmqpConnection } from './amqp-connection';
import { AmqpDeadLetterConsumer } from './amqp-dead-letter.consumer';

export interface AmqpAllowanceTransportOptions {
  url: string;
  /** ALLOWANCE_QUEUE_NAME; the retry and DLQ names derive from it. */
  queueName: string;
  retryDelayMs: number;
  logger: Logger;
  /** Shown in the broker's management UI, to tell processes apart. */
  connectionName?: string;
}

/** The allowance transport on RabbitMQ (docs/architecture.md, Allowance), composed from the AMQP adapter. */
export class AmqpAllowanceTransport implements AllowanceTransport {
  readonly kind = 'rabbitmq' as const;
  readonly publisher: AmqpAllowancePublisher;
  private readonly connection: AmqpConnection;
  private readonly names;
  private consumer: AmqpAllowanceConsumer | null = null;
  private deadLetterConsumer: AmqpDeadLetterConsumer | null = null;

  constructor(private readonly options: AmqpAllowanceTransportOptions) {
    this.names = allowanceTopologyNames(options.queueName);
    this.connection = new AmqpConnection(options.url, options.logger, options.connectionName ? { connectionName: options.connectionName } : {});
    this.publisher = new AmqpAllowancePublisher(() => this.connection.get(), { names: this.names, retryDelayMs: options.retryDelayMs });
  }

  async startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void> {
    this.consumer = new AmqpAllowanceConsumer(
      this.connection,
      { topology: { names: this.names, retryDelayMs: this.options.retryDelayMs }, prefetch: options.prefetch, logger: this.options.logger },
      handler,
    );
    await this.consumer.start();
  }

  /** A recording that fails is tried again after the retry delay, at most 5 s: the database is usually back by then. */
  async consumeDeadLetters(handler: DeadLetterHandler, options: { prefetch: number }): Promise<void> {
    this.deadLetterConsumer = new AmqpDeadLetterConsumer(
      this.connection,
      {
        topology: { names: this.names, retryDelayMs: this.options.retryDelayMs },
        prefetch: options.prefetch,
        retryPauseMs: Math.min(this.options.retryDelayMs, 5_000),
        logger: this.options.logger,
      },
      handler,
    );
    await this.deadLetterConsumer.start();
  }

  async stopConsuming(): Promise<void> {
    await Promise.all([this.consumer?.stop(), this.deadLetterConsumer?.stop()]);
    this.consumer = null;
    this.deadLetterConsumer = null;
  }

  depths(): Promise<AllowanceQueueDepths> {
    return allowanceQueueDepths(this.connection, this.names);
  }

  /** Makes sure the topology exists (start-up asserts it idempotently). */
  async assertTopology(): Promise<void> {
    const channel = await (await this.connection.get()).createChannel();
    try {
      await assertAllowanceTopology(channel, { names: this.names, retryDelayMs: this.options.retryDelayMs });
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    await this.publisher.close();
    await this.connection.close();
  }
}
