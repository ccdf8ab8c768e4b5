import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from '@banca/domain/ports';
import { assertAllowanceTopology, type AllowanceTopologyNames } from './allowance-topology';
import type { AmqpConnection } from './amqp-connection';

export interface QueueConsumerOptions {
  topology: { names: AllowanceTopologyNames; retryDelayMs: number };
  /** The queue of the topology to consume. */
  queue: string;
  /** Unacknowledged deliveries in flight at once. */
  prefetch: number;
  /** First wait before reconnecting after the broker dropped the connection; doubles up to 30 s. */
  reconnectDelayMs?: number;
  logger: Logger;
  /** The log actions' prefix: `<label>_STARTED`, `<label>_DISCONNECTED`, `<label>_RECONNECT_FAIL`. */
  label: string;
}

/** Settles one message on the channel it came from; `pause` waits, or less when the consumer stops. */
export type SettleMessage = (channel: ConfirmChannel, message: ConsumeMessage, tools: { pause(ms: number): Promise<void>; stopping(): boolean }) => Promise<void>;

/**
 * A queue consumer with manual acks and bounded prefetch on a confirm channel. When the broker drops
 * the connection or restarts, it reconnects by itself until stopped; a message unacknowledged then is
 * delivered again by the broker.
 */
export class AmqpQueueConsumer {
  private channel: ConfirmChannel | null = null;
  private consumerTag: string | null = null;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectDelay: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pauses = new Set<() => void>();

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: QueueConsumerOptions,
    private readonly settle: SettleMessage,
  ) {
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${options.prefetch}`);
    this.reconnectDelay = options.reconnectDelayMs ?? 500;
  }

  /** Starts consuming; resolves once the consumer is registered with the broker. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribe();
  }

  /** Stops taking messages, ends pauses, waits for the ones in hand to be settled, and closes the channel. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const resume of this.pauses) resume();
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
    const { queue, logger, label } = this.options;
    const connection = await this.connection.get();
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => logger.warn('AMQP_CHANNEL_ERROR', { error: error.message }));
    // Until the consumer is registered, a failure belongs to this attempt (start() rejects, or the
    // reconnect loop tries again); only a channel lost afterwards starts a reconnect of its own.
    await assertAllowanceTopology(channel, this.options.topology);
    await channel.prefetch(this.options.prefetch);
    const tools = { pause: (ms: number) => this.pause(ms), stopping: () => this.stopped };
    const { consumerTag } = await channel.consume(queue, (message) => {
      if (message) this.track(this.settle(channel, message, tools));
    });
    this.channel = channel;
    this.consumerTag = consumerTag;
    channel.once('close', () => this.onChannelClosed(channel));
    this.reconnectDelay = this.options.reconnectDelayMs ?? 500;
    logger.info(`${label}_STARTED`, { queue, prefetch: this.options.prefetch });
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        this.pauses.delete(resume);
        resolve();
      };
      const timer = setTimeout(resume, ms);
      this.pauses.add(resume);
    });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private onChannelClosed(channel: Channel): void {
    if (this.channel !== channel && this.channel !== null) return;
    this.channel = null;
    this.consumerTag = null;
    if (this.stopped) return;
    this.options.logger.warn(`${this.options.label}_DISCONNECTED`, { retryInMs: this.reconnectDelay });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.subscribe().catch((error: unknown) => {
        this.options.logger.warn(`${this.options.label}_RECONNECT_FAIL`, { error: error instanceof Error ? error.message : String(error) });
        if (!this.stopped) this.scheduleReconnect();
      });
    }, delay);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
