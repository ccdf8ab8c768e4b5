import type { DeadLetterHandler, Logger } from '@banca/domain/ports';
import type { AmqpConnection } from './amqp-connection';
import { readDeadLetter } from './amqp-message';
import { AmqpQueueConsumer, type QueueConsumerOptions } from './amqp-queue-consumer';

/** The queue consumer's options (the queue and the log label are the DLQ's), and the pause after a failed recording. */
export interface DeadLetterConsumerOptions extends Omit<QueueConsumerOptions, 'queue' | 'label'> {
  /** How long a message whose recording failed waits before it is tried again. */
  retryPauseMs: number;
}

/**
 * Consumes the DLQ for the dead-letter store (docs/architecture.md, Allowance: dead letters): each
 * message is acked only once `record` resolved, so a crash in between leaves it in the DLQ and it is
 * recorded when delivered again. A recording that fails (the database is down) keeps the message
 * unacked for a pause, then puts it back on the DLQ to be tried again; stopping ends the pause, and
 * closing the channel gives the message back to the broker.
 */
export class AmqpDeadLetterConsumer {
  private readonly consumer: AmqpQueueConsumer;

  constructor(connection: AmqpConnection, options: DeadLetterConsumerOptions, record: DeadLetterHandler) {
    const { names } = options.topology;
    this.consumer = new AmqpQueueConsumer(
      connection,
      { ...options, queue: names.dlq, label: 'ALLOWANCE_DLQ_CONSUMER' },
      async (channel, message, { pause, stopping }) => {
        const letter = readDeadLetter(message, names.queue);
        try {
          await record(letter);
        } catch (error) {
          options.logger.warn('ALLOWANCE_DEAD_LETTER_RECORD_FAIL', { messageId: letter.messageId, retryInMs: options.retryPauseMs, error: error instanceof Error ? error.message : String(error) });
          await pause(options.retryPauseMs);
          if (stopping()) return;
          settleQuietly(options.logger, letter.messageId, () => channel.nack(message, false, true));
          return;
        }
        settleQuietly(options.logger, letter.messageId, () => channel.ack(message));
      },
    );
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  get consuming(): boolean {
    return this.consumer.consuming;
  }
}

/** An ack or nack on a channel that closed meanwhile: the broker delivers the message again, and recording it twice is a no-op. */
function settleQuietly(logger: Logger, messageId: string | null, settle: () => void): void {
  try {
    settle();
  } catch (error) {
    logger.warn('ALLOWANCE_DEAD_LETTER_SETTLE_FAIL', { messageId, error: error instanceof Error ? error.message : String(error) });
  }
}
