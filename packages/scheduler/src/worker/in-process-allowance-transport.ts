import { inDeliverySpan, startPublishTrace, type MessagingPlace } from '@banca/adapters-amqp';
import { allowanceMessageBody, traceContextOf, type AllowanceRunMessage } from '@banca/domain';
import type {
  AllowanceDelivery,
  AllowanceQueueDepths,
  AllowanceTransport,
  DeadLetterHandler,
  DeadLetterMessage,
  DeliveryDisposition,
  DeliveryHandler,
  Logger,
} from '@banca/domain/ports';

interface QueuedMessage {
  messageId: string;
  rawBody: string;
  previousAttempts: number;
  /** The W3C trace context of its publish, as RabbitMQ headers would carry it. */
  headers: Record<string, string>;
}

const PLACE: MessagingPlace = { system: 'in-process', destination: 'allowance.schedule' };

/**
 * The embedded default's queue (docs/architecture.md, Configuration): the RabbitMQ semantics in one process. A retried
 * message waits `retryDelayMs` and comes back with its attempt counted; a dead-lettered one waits
 * in the DLQ until the dead-letter consumer has recorded it (a failed recording is tried again after
 * the retry delay, at most 5 s); at most `prefetch` deliveries are in hand at once. Nothing survives a
 * restart — the producer's leases expire and the runs are published again, and the unique
 * (schedule, run) credit makes that safe; the all-in-one records a dead letter as soon as it is made.
 */
export class InProcessAllowanceTransport implements AllowanceTransport {
  readonly kind = 'in-process' as const;
  private readonly ready: QueuedMessage[] = [];
  private readonly retrying = new Set<ReturnType<typeof setTimeout>>();
  private readonly dlq: DeadLetterMessage[] = [];
  private readonly inHand = new Set<Promise<void>>();
  private handler: DeliveryHandler | null = null;
  private prefetch = 1;
  private deadLetterHandler: DeadLetterHandler | null = null;
  private recording: Promise<void> | null = null;
  private recordRetry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly options: { retryDelayMs: number; logger?: Logger },
  ) {}

  readonly publisher = {
    publish: async (messages: readonly AllowanceRunMessage[]): Promise<void> => {
      for (const message of messages) {
        const traced = startPublishTrace(message, PLACE);
        this.ready.push({ messageId: message.messageId, rawBody: allowanceMessageBody(message), previousAttempts: 0, headers: traced.headers });
        traced.end();
      }
      this.pump();
    },
  };

  /** Puts a raw body on the queue, as any producer could (tests of malformed messages use it). */
  enqueueRaw(rawBody: string, messageId = 'raw'): void {
    this.ready.push({ messageId, rawBody, previousAttempts: 0, headers: {} });
    this.pump();
  }

  async startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void> {
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${options.prefetch}`);
    this.handler = handler;
    this.prefetch = options.prefetch;
    this.pump();
  }

  async consumeDeadLetters(handler: DeadLetterHandler): Promise<void> {
    this.deadLetterHandler = handler;
    this.recordDeadLetters();
  }

  async stopConsuming(): Promise<void> {
    this.handler = null;
    this.deadLetterHandler = null;
    if (this.recordRetry) clearTimeout(this.recordRetry);
    this.recordRetry = null;
    await Promise.allSettled([...this.inHand, ...(this.recording ? [this.recording] : [])]);
  }

  async depths(): Promise<AllowanceQueueDepths> {
    return { ready: this.ready.length + this.inHand.size, retrying: this.retrying.size, deadLettered: this.dlq.length };
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    for (const timer of this.retrying) clearTimeout(timer);
    if (this.recordRetry) clearTimeout(this.recordRetry);
    this.retrying.clear();
  }

  private pump(): void {
    while (this.handler && this.inHand.size < this.prefetch && this.ready.length > 0) {
      const message = this.ready.shift()!;
      const work = this.deliver(this.handler, message).finally(() => {
        this.inHand.delete(work);
        this.pump();
      });
      this.inHand.add(work);
    }
  }

  private async deliver(handler: DeliveryHandler, message: QueuedMessage): Promise<void> {
    const disposition = await inDeliverySpan(message.headers, { messageId: message.messageId, attempt: message.previousAttempts + 1 }, PLACE, async (): Promise<DeliveryDisposition> => {
      try {
        return await handler(toDelivery(message));
      } catch (error) {
        return { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
      }
    });
    if (disposition.action === 'retry') {
      const timer = setTimeout(() => {
        this.retrying.delete(timer);
        this.ready.push({ ...message, previousAttempts: message.previousAttempts + 1 });
        this.pump();
      }, this.options.retryDelayMs);
      timer.unref();
      this.retrying.add(timer);
    } else if (disposition.action === 'dead-letter') {
      this.dlq.push({
        messageId: message.messageId,
        rawBody: message.rawBody,
        reasonCode: disposition.code,
        reason: disposition.reason,
        attempts: message.previousAttempts + 1,
        deadLetteredAt: new Date(),
        traceContext: traceContextOf(message.headers),
      });
      this.recordDeadLetters();
    }
  }

  /** One dead letter at a time, oldest first; it leaves the DLQ only once recorded. */
  private recordDeadLetters(): void {
    const handler = this.deadLetterHandler;
    const letter = this.dlq[0];
    if (!handler || !letter || this.recording || this.recordRetry) return;
    const recording = handler(letter).then(
      () => {
        if (this.dlq[0] === letter) this.dlq.shift();
        this.recording = null;
        this.recordDeadLetters();
      },
      (error: unknown) => {
        this.recording = null;
        this.options.logger?.warn('ALLOWANCE_DEAD_LETTER_RECORD_FAIL', { messageId: letter.messageId, error: error instanceof Error ? error.message : String(error) });
        this.recordRetry = setTimeout(() => {
          this.recordRetry = null;
          this.recordDeadLetters();
        }, Math.min(this.options.retryDelayMs, 5_000));
        this.recordRetry.unref();
      },
    );
    this.recording = recording;
  }
}

function toDelivery(message: QueuedMessage): AllowanceDelivery {
  let body: unknown = message.rawBody;
  try {
    body = JSON.parse(message.rawBody);
  } catch {
    // Not JSON: the domain refuses it as malformed.
  }
  return { messageId: message.messageId, body, rawBody: message.rawBody, previousAttempts: message.previousAttempts };
}
