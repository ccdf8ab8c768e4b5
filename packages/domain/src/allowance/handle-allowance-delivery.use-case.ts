import type { Clock } from '../kernel/clock.port';
import type { Logger } from '../kernel/logger.port';
import type { AllowanceLedger, AllowanceScheduleRepository } from './allowance.ports';
import type { AllowanceDelivery, DeliveryDisposition, DeliveryHandler } from './allowance-transport.port';
import { creditAllowanceRun, recordAllowanceRunFailure } from './credit-allowance-run.use-case';

/** The dead letter's code of a run given up after failures that were not the domain's (a database that never answered). */
export const WORKER_ERROR_CODE = 'ALLOWANCE.WORKER_ERROR';

export interface AllowanceWorkerDeps {
  schedules: Pick<AllowanceScheduleRepository, 'findById'>;
  ledger: AllowanceLedger;
  clock: Clock;
  logger: Logger;
  /** ALLOWANCE_MAX_RETRIES: attempts, the first delivery included; the attempt that fails for this many times goes to the DLQ. */
  maxRetries: number;
  /** Observes each settled delivery (metrics). */
  onOutcome?: (outcome: 'credited' | 'duplicate' | 'retried' | 'dead-lettered') => void;
}

/**
 * The worker's decision for one delivery (docs/architecture.md, Allowance): credited or duplicate → ack; malformed,
 * unknown or not a due occurrence → DLQ at once; a retryable failure (insufficient funds, a database
 * that does not answer) → the retry queue, until the `maxRetries`-th attempt (the first delivery
 * counts) fails: then the failure is recorded on the schedule, which moves on to its next occurrence,
 * and the message goes to the DLQ.
 */
export function handleAllowanceDeliveries(deps: AllowanceWorkerDeps): DeliveryHandler {
  const { logger } = deps;
  const done = (disposition: DeliveryDisposition, outcome: Parameters<NonNullable<AllowanceWorkerDeps['onOutcome']>>[0]) => {
    deps.onOutcome?.(outcome);
    return disposition;
  };

  async function retryOrGiveUp(delivery: AllowanceDelivery, code: string, reason: string): Promise<DeliveryDisposition> {
    const attempt = delivery.previousAttempts + 1;
    if (attempt < deps.maxRetries) {
      logger.warn('ALLOWANCE_RUN_RETRY', { messageId: delivery.messageId, attempt, maxRetries: deps.maxRetries, reason });
      return done({ action: 'retry', reason }, 'retried');
    }
    // Recording the failure must succeed before the message leaves for the DLQ; otherwise retry again.
    const recorded = await recordAllowanceRunFailure(deps, delivery.body, reason);
    logger.error('ALLOWANCE_RUN_GIVEN_UP', {
      messageId: delivery.messageId,
      attempts: attempt,
      reason,
      nextRunAt: recorded.kind === 'recorded' ? recorded.nextRunAt.toISOString() : null,
    });
    return done({ action: 'dead-letter', code, reason: `gave up after ${attempt} attempts: ${reason}` }, 'dead-lettered');
  }

  return async (delivery) => {
    let outcome;
    try {
      outcome = await creditAllowanceRun(deps, delivery.body);
    } catch (error) {
      return retryOrGiveUp(delivery, WORKER_ERROR_CODE, error instanceof Error ? error.message : String(error));
    }
    switch (outcome.kind) {
      case 'credited':
        logger.info('ALLOWANCE_CREDITED', { scheduleId: outcome.scheduleId, runAt: outcome.runAt.toISOString(), transactionId: outcome.transactionId });
        return done({ action: 'ack' }, 'credited');
      case 'duplicate':
        logger.info('ALLOWANCE_DUPLICATE_RUN', { scheduleId: outcome.scheduleId, runAt: outcome.runAt.toISOString() });
        return done({ action: 'ack' }, 'duplicate');
      case 'rejected':
        logger.warn('ALLOWANCE_RUN_REJECTED', { messageId: delivery.messageId, code: outcome.code, reason: outcome.reason });
        return done({ action: 'dead-letter', code: outcome.code, reason: `${outcome.code}: ${outcome.reason}` }, 'dead-lettered');
      case 'retryable':
        return retryOrGiveUp(delivery, outcome.code, `${outcome.code}: ${outcome.reason}`);
    }
  };
}
