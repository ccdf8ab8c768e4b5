import type { AllowanceQueue } from '@banca/domain';

/** A delivery as the worker sees it, whatever carries it (RabbitMQ, or the in-process queue). */
export interface WorkerDelivery {
  messageId: string | null;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** How many times it already went through the retry queue. */
  previousAttempts: number;
}

export type WorkerDisposition = { action: 'ack' } | { action: 'retry'; reason: string } | { action: 'dead-letter'; reason: string };

export type WorkerHandler = (delivery: WorkerDelivery) => Promise<WorkerDisposition>;

export interface AllowanceQueueDepths {
  ready: number;
  retrying: number;
  deadLettered: number;
}

/**
 * The allowance pipeline's transport (design §5): publishing, consuming with retry through a delay
 * and a dead-letter queue, depths and DLQ replay. RabbitMQ in production; an in-process queue with
 * the same semantics on the embedded default. Both pass one contract suite.
 */
export interface AllowanceTransport {
  readonly kind: 'rabbitmq' | 'in-process';
  publisher: AllowanceQueue;
  startConsuming(handler: WorkerHandler, options: { prefetch: number }): Promise<void>;
  /** Stops taking deliveries and waits for those in hand to be settled. */
  stopConsuming(): Promise<void>;
  depths(): Promise<AllowanceQueueDepths>;
  replayDeadLetters(options: { limit: number; onProgress?: (done: number) => void }): Promise<{ replayed: number }>;
  close(): Promise<void>;
}
