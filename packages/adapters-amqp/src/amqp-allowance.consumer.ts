import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { DeliveryDisposition, DeliveryHandler, Logger } from '@banca/domain/ports';
import { assertAllowanceTopology, type AllowanceTopologyNames } from './allowance-topology';
import type { AmqpConnection } from './amqp-connection';
import { readDelivery } from './amqp-message';

export interface AllowanceConsumerOptions {
  topology: { names: AllowanceTopologyNames; retryDelayMs: number };
  /** Unacknowledged deliveries in flight at once. */
  prefetch: number;
  /** First wait before reconnecting after the broker dropped the connection; doubles up to 30 s. */
  reconnectDelayMs?: number;
  logger: Logger;
}


/**
 * Consumes `allowance.schedule` with manual acks and bounded prefetch. Each delivery is acked,
 * rejected into the TTL retry queue, or republished to the DLQ (confirmed) and then acked. When the
 * broker drops the connection or restarts, the consumer reconnects by itself until stopped.
 */
export class AmqpAllowanceConsumer {
  private channel: ConfirmChannel | null = null;
  private consumerTag: string | null = null;
  private stopping = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectDelay: number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: AllowanceConsumerOptions,
    private readonly handle: DeliveryHandler,
  ) {
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${options.prefetch}`);
    this.reconnectDelay = options.reconnectDelayMs ?? 500;
  }

  /** Starts consuming; resolves once the consumer is registered with the broker. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.subscribe();
  }

  /** Stops taking deliveries, waits for the ones in hand to be settled, and closes the channel. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const channel = this.channel;
    // A half-dead channel may never answer the cancel: shutdown must not hang on it.
    if (channel && this.consumerTag) await withTimeout(channel.cancel(this.consumerTag), 5_000).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    this.channel = null;
    if (channel) await withTimeout(channel.close(), 5_000).catch(() => undefined);
  }

  get consuming(): boolean {
    return this.channel !== null && this.consumerTag !== null;
  }

  private async subscribe(): Promise<void> {
    const { names } = this.options.topology;
    const connection = await this.connection.get();
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => this.options.logger.warn('AMQP_CHANNEL_ERROR', { error: error.message }));
    // Until the consumer is registered, a failure belongs to this attempt (start() rejects, or the
    // reconnect loop tries again); only a channel lost afterwards starts a reconnect of its own.
    await assertAllowanceTopology(channel, this.options.topology);
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(names.queue, (message) => {
      if (message) this.track(this.settle(channel, message));
    });
    this.channel = channel;
    this.consumerTag = consumerTag;
    channel.once('close', () => this.onChannelClosed(channel));
    this.reconnectDelay = this.options.reconnectDelayMs ?? 500;
    this.options.logger.info('ALLOWANCE_CONSUMER_STARTED', { queue: names.queue, prefetch: this.options.prefetch });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async settle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { names } = this.options.topology;
    const delivery = readDelivery(message, names.queue);
    let disposition: DeliveryDisposition;
    try {
      disposition = await this.handle(delivery);
    } catch (error) {
      // The handler classifies what it knows; anything thrown is an infrastructure failure worth a retry.
      disposition = { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    try {
      if (disposition.action === 'ack') channel.ack(message);
      else if (disposition.action === 'retry') channel.nack(message, false, false);
      else await deadLetter(channel, names, message, disposition.reason);
    } catch (error) {
      // The channel is gone: the broker redelivers the message to the next consumer, and the
      // unique (schedule, run) credit makes a second processing a no-op.
      this.options.logger.warn('ALLOWANCE_SETTLE_FAIL', { messageId: delivery.messageId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private onChannelClosed(channel: Channel): void {
    if (this.channel !== channel && this.channel !== null) return;
    this.channel = null;
    this.consumerTag = null;
    if (this.stopping) return;
    this.options.logger.warn('ALLOWANCE_CONSUMER_DISCONNECTED', { retryInMs: this.reconnectDelay });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopping) return;
      this.subscribe().catch((error: unknown) => {
        this.options.logger.warn('ALLOWANCE_CONSUMER_RECONNECT_FAIL', { error: error instanceof Error ? error.message : String(error) });
        if (!this.stopping) this.scheduleReconnect();
      });
    }, delay);
  }
}

/** Republishes to the DLQ with the reason, waits for the broker's confirm, then acks the original. */
async function deadLetter(channel: ConfirmChannel, names: AllowanceTopologyNames, message: ConsumeMessage, reason: string): Promise<void> {
  const { headers = {}, ...properties } = message.properties;
  channel.publish(names.dlqExchange, names.queue, message.content, {
    ...withoutUndefined(properties),
    persistent: true,
    headers: { ...headers, 'x-dlq-reason': reason, 'x-dlq-at': new Date().toISOString() },
  });
  await channel.waitForConfirms();
  channel.ack(message);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
