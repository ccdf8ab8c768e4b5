import type { AllowanceQueue } from './allowance.ports';

/** A delivery as the worker sees it, whatever carries it (RabbitMQ, or the in-process queue). */
export interface AllowanceDelivery {
  messageId: string | null;
  /** The parsed JSON body, or the raw text when it is not JSON (a malformed message, for the DLQ). */
  body: unknown;
  rawBody: string;
  /** How many times it already went through the retry queue. */
  previousAttempts: number;
}

/** What becomes of a delivery: acknowledged, sent through the retry queue, or to the DLQ. */
export type DeliveryDisposition = { action: 'ack' } | { action: 'retry'; reason: string } | { action: 'dead-letter'; reason: string };

export type DeliveryHandler = (delivery: AllowanceDelivery) => Promise<DeliveryDisposition>;

/** Messages waiting in the main, retry and dead-letter queues. */
export interface AllowanceQueueDepths {
  ready: number;
  retrying: number;
  deadLettered: number;
}

/**
 * The allowance pipeline's transport: publishing, consuming with retry through a delay and a
 * dead-letter queue, depths and DLQ replay. RabbitMQ in production; an in-process queue with the same
 * semantics on the embedded default. Both pass allowanceTransportContract.
 */
export interface AllowanceTransport {
  readonly kind: 'rabbitmq' | 'in-process';
  publisher: AllowanceQueue;
  startConsuming(handler: DeliveryHandler, options: { prefetch: number }): Promise<void>;
  /** Stops taking deliveries and waits for those in hand to be settled. */
  stopConsuming(): Promise<void>;
  depths(): Promise<AllowanceQueueDepths>;
  /** Moves at most `limit` messages, and at most as many as the DLQ held when it began, back to the main queue. */
  replayDeadLetters(options: { limit: number; onProgress?: (done: number) => void }): Promise<{ replayed: number }>;
  close(): Promise<void>;
}
