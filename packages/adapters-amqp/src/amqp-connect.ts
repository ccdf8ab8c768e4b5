import * as amqp from 'amqplib';

export interface ConnectRetryOptions {
  attempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait, for the log. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** Shown by the broker's tools (`rabbitmqctl list_connections client_properties`). */
  connectionName?: string;
}

/** Connects to RabbitMQ, retrying with exponential back-off a bounded number of times. */
export async function connectWithRetry(url: string, options: ConnectRetryOptions = {}): Promise<amqp.ChannelModel> {
  const { attempts = 10, initialDelayMs = 200, maxDelayMs = 10_000, onRetry, connectionName } = options;
  const socketOptions = { timeout: 10_000, clientProperties: { connection_name: connectionName ?? `banca-jobs pid ${process.pid}` } };
  let delay = initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await amqp.connect(url, socketOptions);
    } catch (error) {
      if (attempt >= attempts) throw error;
      onRetry?.(attempt, delay, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
