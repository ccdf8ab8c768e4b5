import {
  AmqpAllowanceConsumer,
  AmqpAllowancePublisher,
  AmqpConnection,
  allowanceQueueDepths,
  allowanceTopologyNames,
  assertAllowanceTopology,
  replayAllowanceDlq,
} from '@banca/adapters-amqp';
import type { Logger } from '@banca/domain';
import type { AllowanceQueueDepths, AllowanceTransport, WorkerHandler } from './allowance-transport';

/** The allowance transport on RabbitMQ (design §5), composed from the AMQP adapter. */
export class AmqpAllowanceTransport implements AllowanceTransport {
  readonly kind = 'rabbitmq' as const;
  readonly publisher: AmqpAllowancePublisher;
  private readonly connection: AmqpConnection;
  private readonly names;
  private consumer: AmqpAllowanceConsumer | null = null;

  constructor(private readonly options: { url: string; queueName: string; retryDelayMs: number; logger: Logger; connectionName?: string }) {
    this.names = allowanceTopologyNames(options.queueName);
    this.connection = new AmqpConnection(options.url, options.logger, options.connectionName ? { connectionName: options.connectionName } : {});
    this.publisher = new AmqpAllowancePublisher(() => this.connection.get(), { names: this.names, retryDelayMs: options.retryDelayMs });
  }

  async startConsuming(handler: WorkerHandler, options: { prefetch: number }): Promise<void> {
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
