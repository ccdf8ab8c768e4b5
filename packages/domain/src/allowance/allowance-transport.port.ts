import type { AllowanceQueue } from './allowance.ports';
import type { TraceContext } from './trace-context';

/** A delivery as the worker sees it, whatever carries it (RabbitMQ, or the in-process queue). */
export interface AllowanceDelivery {
  messageId: string | null;
  /** The parsed JSON body, or the raw text when it is not JSON (a malformed message, for the DLQ). */
  body: unknown;
  rawBody: string;
  /** How many times it already went through the retry queue. */
  previousAttempts: number;
}

/**
 * What becomes of a delivery: acknowledged, sent through the retry queue, or to the DLQ with the
 * failure's stable code (`ALLOWANCE.INSUFFICIENT_FUNDS`, `VALIDATION.INVALID_INPUT`, …) and its reason.
 */
export type DeliveryDisposition = { action: 'ack' } | { action: 'retry'; reason: string } | { action: 'dead-letter'; code: string; reason: string };

export type DeliveryHandler = (delivery: AllowanceDelivery) => Promise<DeliveryDisposition>;

/**
 * A message taken from the DLQ, as the dead-letter store records it. What the worker said when it
 * dead-lettered it travels with it; a message put on the DLQ by anyone else may come without.
 */
export interface DeadLetterMessage {
  messageId: string | null;
  rawBody: string;
  /** The disposition's code; null when the message carries none. */
  reasonCode: string | null;
  reason: string | null;
  /** Deliveries before it was given up, the first included. */
  attempts: number;
  /** When it was dead-lettered; null when the message does not say. */
  deadLetteredAt: Date | null;
  /** The trace the run was published in, when the message carried one. */
  traceContext?: TraceContext | null;
}

/** Records a dead letter; the message leaves the DLQ only once this resolves. */
export type DeadLetterHandler = (message: DeadLetterMessage) => Promise<void>;

/** Messages waiting in the main, retry and dead-letter queues. */
export interface AllowanceQueueDepths {
  ready: number;
  retrying: number;
  deadLettered: number;
}

/**
 * The allowance pipeline's transport: publishing, consuming with retry through a delay and a
 * dead-letter queue, handing each dead letter to the dead-letter store, and depths. RabbitMQ in
 * production; an in-process queue with the same semantics on the embedded default. Both pass
 * allowanceTransportContract. Dead letters are replayed from the store, by publishing their runs again.
 */
export interface AllowanceTransport {
  readonly kind: 'rabbitmq' | 'in-process';
  publisher: AllowanceQueue;
  startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void>;
  /**
   * Hands each message of the DLQ to `handler`, at most `prefetch` at once, and takes it off the DLQ only
   * once the handler resolved: a crash in between delivers it again. A handler that throws gets the
   * message again after a pause.
   */
  consumeDeadLetters(handler: DeadLetterHandler, options: { prefetch: number }): Promise<void>;
  /** Stops taking deliveries and dead letters, and waits for those in hand to be settled. */
  stopConsuming(): Promise<void>;
  /** `deadLettered`: messages in the DLQ not yet recorded by the dead-letter store. */
  depths(): Promise<AllowanceQueueDepths>;
  close(): Promise<void>;
}
