import { handleAllowanceDeliveries, type Logger } from '@banca/domain';
import type { Infrastructure } from '../composition/infrastructure';
import type { BancaMetrics } from '../composition/metrics';

/** The allowance worker of a process: consumes the allowance queue and credits each run once. */
export class AllowanceWorker {
  constructor(
    private readonly infrastructure: Infrastructure,
    private readonly options: { maxRetries: number; prefetch: number; logger: Logger; metrics: BancaMetrics },
  ) {}

  async start(): Promise<void> {
    const { allowance, clock, activeOperations } = this.infrastructure;
    const handle = handleAllowanceDeliveries({
      schedules: allowance.schedules,
      ledger: allowance.ledger,
      clock,
      logger: this.options.logger,
      maxRetries: this.options.maxRetries,
      onOutcome: (outcome) => this.options.metrics.allowanceDelivery(outcome),
    });
    // Each credit is an active operation, so shutdown waits for it to commit or roll back.
    await this.infrastructure.transport.startConsuming((delivery) => activeOperations.track('allowance.credit', () => handle(delivery)), {
      prefetch: this.options.prefetch,
    });
    this.options.logger.info('ALLOWANCE_WORKER_STARTED', { queue: this.infrastructure.transport.kind, prefetch: this.options.prefetch, maxRetries: this.options.maxRetries });
  }

  stop(): Promise<void> {
    return this.infrastructure.transport.stopConsuming();
  }
}
