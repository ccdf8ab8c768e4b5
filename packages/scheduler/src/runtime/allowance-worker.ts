import {
  handleAllowanceDeliveries,
  recordDeadLetter,
  type ActiveOperations,
  type AllowanceLedger,
  type AllowanceScheduleRepository,
  type AllowanceTransport,
  type Clock,
  type DeadLetterStore,
  type Logger,
} from '@banca/domain/ports';
import type { BancaMetrics } from '../composition/metrics';

export interface AllowanceWorkerDeps {
  transport: AllowanceTransport;
  schedules: Pick<AllowanceScheduleRepository, 'findById'>;
  ledger: AllowanceLedger;
  /** Where the dead letters taken from the DLQ are recorded. */
  deadLetters: Pick<DeadLetterStore, 'record'>;
  clock: Clock;
  activeOperations: ActiveOperations;
  metrics: BancaMetrics;
  logger: Logger;
  /** ALLOWANCE_MAX_RETRIES: attempts, the first delivery included. */
  maxRetries: number;
  prefetch: number;
}

/**
 * The allowance worker of a process: consumes the allowance queue and credits each run once, and
 * consumes the DLQ, recording each dead letter in the store before it leaves the queue.
 */
export class AllowanceWorker {
  constructor(private readonly deps: AllowanceWorkerDeps) {}

  async start(): Promise<void> {
    const { transport, activeOperations, logger, maxRetries, prefetch } = this.deps;
    const handle = handleAllowanceDeliveries({
      schedules: this.deps.schedules,
      ledger: this.deps.ledger,
      clock: this.deps.clock,
      logger,
      maxRetries,
      onOutcome: (outcome) => this.deps.metrics.allowanceDelivery(outcome),
    });
    // Each credit is an active operation, so shutdown waits for it to commit or roll back.
    await transport.startConsuming((delivery) => activeOperations.track('allowance.credit', () => handle(delivery)), { prefetch });
    const recorder = { deadLetters: this.deps.deadLetters, clock: this.deps.clock, logger };
    await transport.consumeDeadLetters(async (message) => {
      await activeOperations.track('allowance.dead-letter', () => recordDeadLetter(recorder, message));
    }, { prefetch });
    logger.info('ALLOWANCE_WORKER_STARTED', { queue: transport.kind, prefetch, maxRetries });
  }

  stop(): Promise<void> {
    return this.deps.transport.stopConsuming();
  }
}
