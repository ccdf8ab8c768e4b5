import type { ChannelModel } from 'amqplib';
import type { Logger } from '@banca/domain/ports';
import { connectWithRetry, type ConnectRetryOptions } from './amqp-connect';

/**
 * One RabbitMQ connection per process, shared by the publisher and the consumer. A connection the
 * broker closed is forgotten, so the next `get()` connects again; `close()` ends it for good.
 */
export class AmqpConnection {
  private current: Promise<ChannelModel> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly logger?: Logger,
    private readonly retry: ConnectRetryOptions = {},
  ) {}

  get(): Promise<ChannelModel> {
    if (this.closed) return Promise.reject(new Error('the RabbitMQ connection was closed on purpose'));
    if (!this.current) {
      const connecting = connectWithRetry(this.url, {
        ...this.retry,
        onRetry: (attempt, delayMs, error) =>
          this.logger?.warn('AMQP_CONNECT_RETRY', { attempt, delayMs, error: error instanceof Error ? error.message : String(error) }),
      }).then((connection) => {
        connection.on('error', (error: Error) => this.logger?.warn('AMQP_CONNECTION_ERROR', { error: error.message }));
        connection.once('close', () => {
          if (this.current === connecting) this.current = null;
          if (!this.closed) this.logger?.warn('AMQP_CONNECTION_LOST', {});
        });
        return connection;
      });
      connecting.catch(() => {
        if (this.current === connecting) this.current = null;
      });
      this.current = connecting;
    }
    return this.current;
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = null;
    if (current) await (await current.catch(() => null))?.close().catch(() => undefined);
  }
}
