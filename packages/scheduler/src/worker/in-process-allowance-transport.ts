import type { AllowanceRunMessage } from '@banca/domain';
import type {
  AllowanceDelivery,
  AllowanceQueueDepths,
  AllowanceTransport,
  DeliveryDisposition,
  DeliveryHandler,
  Logger,
} from '@banca/domain/ports';

interface QueuedMessage {
  messageId: string;
  rawBody: string;
  previousAttempts: number;
  deadLetterReason?: string;
}

/**
 * The embedded default's queue (docs/architecture.md, Configuration): the RabbitMQ semantics in one process. A retried
 * message waits `retryDelayMs` and comes back with its attempt counted; a dead-lettered one waits
 * in the DLQ for a replay; at most `prefetch` deliveries are in hand at once. Nothing survives a
 * restart — the producer's leases expire and the runs are published again, and the unique
 * (schedule, run) credit makes that safe.
 */
export class InProcessAllowanceTransport implements AllowanceTransport {
  readonly kind = 'in-process' as const;
  private readonly ready: QueuedMessage[] = [];
  private readonly retrying = new Set<ReturnType<typeof setTimeout>>();
  private readonly dlq: QueuedMessage[] = [];
  private readonly inHand = new Set<Promise<void>>();
  private handler: DeliveryHandler | null = null;
  private prefetch = 1;

  constructor(
    private readonly options: { retryDelayMs: number; logger?: Logger },
  ) {}

  readonly publisher = {
    publish: async (messages: readonly AllowanceRunMessage[]): Promise<void> => {
      for (const message of messages) {
        this.ready.push({ messageId: message.messageId, rawBody: JSON.stringify({ scheduleId: message.scheduleId, runAt: message.runAt }), previousAttempts: 0 });
      }
      this.pump();
    },
  };

  /** Puts a raw body on the queue, as any producer could (tests of malformed messages use it). */
  enqueueRaw(rawBody: string, messageId = 'raw'): void {
    this.ready.push({ messageId, rawBody, previousAttempts: 0 });
    this.pump();
  }

  async startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void> {
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${options.prefetch}`);
    this.handler = handler;
    this.prefetch = options.prefetch;
    this.pump();
  }

  async stopConsuming(): Promise<void> {
    this.handler = null;
    await Promise.allSettled([...this.inHand]);
  }

  async depths(): Promise<AllowanceQueueDepths> {
    return { ready: this.ready.length + this.inHand.size, retrying: this.retrying.size, deadLettered: this.dlq.length };
  }

  async replayDeadLetters(options: { limit: number; onProgress?: (done: number) => void }): Promise<{ replayed: number }> {
    // Taken synchronously, so what fails again joins the DLQ only after this replay: at most the depth found.
    let replayed = 0;
    while (replayed < options.limit && this.dlq.length > 0) {
      const message = this.dlq.shift()!;
      this.ready.push({ messageId: message.messageId, rawBody: message.rawBody, previousAttempts: 0 });
      replayed += 1;
      options.onProgress?.(replayed);
    }
    this.pump();
    return { replayed };
  }

  /** The dead-lettered messages with their reasons (what an operator inspects before a replay). */
  deadLetters(): ReadonlyArray<{ messageId: string; rawBody: string; reason: string }> {
    return this.dlq.map((m) => ({ messageId: m.messageId, rawBody: m.rawBody, reason: m.deadLetterReason ?? '' }));
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    for (const timer of this.retrying) clearTimeout(timer);
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
    let disposition: DeliveryDisposition;
    try {
      disposition = await handler(toDelivery(message));
    } catch (error) {
      disposition = { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    if (disposition.action === 'retry') {
      const timer = setTimeout(() => {
        this.retrying.delete(timer);
        this.ready.push({ ...message, previousAttempts: message.previousAttempts + 1 });
        this.pump();
      }, this.options.retryDelayMs);
      timer.unref();
      this.retrying.add(timer);
    } else if (disposition.action === 'dead-letter') {
      this.dlq.push({ ...message, deadLetterReason: disposition.reason });
    }
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
