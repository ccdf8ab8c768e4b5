import type { AllowanceQueueDepths, AllowanceTransport, DeliveryHandler, Logger } from '@banca/domain/ports';
import { allowanceQueueDepths, replayAllowanceDlq } from './allowance-dlq';
import { allowanceTopologyNames, assertAllowanceTopology } from './allowance-topology';
import { AmqpAllowanceConsumer } from './amqp-allowance.consumer';
import { AmqpAllowancePublisher } from './amqp-allowance.publisher';
import { AmqpConnection } from './amqp-connection';

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

  async stopConsuming(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  depths(): Promise<AllowanceQueueDepths> {
    return allowanceQueueDepths(this.connection, this.names);
  }

  replayDeadLetters(options: { limit: number; onProgress?: (done: number) => void }): Promise<{ replayed: number }> {
    return replayAllowanceDlq(this.connection, this.names, options);
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
