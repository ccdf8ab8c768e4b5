import type { Clock } from '../kernel/clock.port';
import { type DomainErrorCode, isDomainError } from '../kernel/domain-error';
import { type ParsedAllowanceMessage, parseAllowanceMessage } from './allowance-message';
import { isAllowanceOccurrence, nextAllowanceRun } from './allowance-occurrences';
import type { AllowanceSchedule } from './allowance-schedule';
import type { AllowanceLedger, AllowanceScheduleRepository } from './allowance.ports';

/**
 * What the worker does with a message: `credited`/`duplicate` → ack; `retryable` → retry queue
 * (DLQ after ALLOWANCE_MAX_RETRIES); `rejected` → DLQ at once, it can never succeed.
 * A thrown error is an infrastructure failure: the worker classifies it and retries.
 */
export type CreditAllowanceRunOutcome =
  | { kind: 'credited'; scheduleId: string; runAt: Date; transactionId: string }
  | { kind: 'duplicate'; scheduleId: string; runAt: Date }
  | { kind: 'retryable'; code: DomainErrorCode; reason: string }
  | { kind: 'rejected'; code: DomainErrorCode; reason: string };

export interface CreditAllowanceRunDeps {
  schedules: Pick<AllowanceScheduleRepository, 'findById'>;
  ledger: Pick<AllowanceLedger, 'creditRun'>;
  clock: Clock;
}

/** Credits one due run (docs/architecture.md, Allowance): validated first, then one ledger transaction. */
export async function creditAllowanceRun(deps: CreditAllowanceRunDeps, message: unknown): Promise<CreditAllowanceRunOutcome> {
  const checked = await checkRun(deps, message);
  if ('kind' in checked) return checked;
  const { schedule, runAt } = checked;
  const result = await deps.ledger.creditRun({
    scheduleId: schedule.id,
    runAt,
    amount: schedule.amount,
    guardianId: schedule.guardianId,
    juniorId: schedule.juniorId,
    nextRunAt: nextAllowanceRun(schedule.anchorAt, schedule.frequency, runAt),
    creditedAt: deps.clock.now(),
  });
  switch (result.outcome) {
    case 'credited':
      return { kind: 'credited', scheduleId: schedule.id, runAt, transactionId: result.transactionId };
    case 'duplicate':
      return { kind: 'duplicate', scheduleId: schedule.id, runAt };
    case 'insufficient_funds':
      return { kind: 'retryable', code: 'ALLOWANCE.INSUFFICIENT_FUNDS', reason: `guardian balance is below ${schedule.amount}` };
    case 'not_live':
      return rejected('ALLOWANCE.INVALID_RUN', `schedule ${schedule.id} was turned OFF or deleted before the run was credited`);
  }
}

export type RecordAllowanceRunFailureOutcome = { kind: 'recorded'; scheduleId: string; nextRunAt: Date } | { kind: 'rejected'; code: DomainErrorCode; reason: string };

/**
 * After the last retry: records the failure on the schedule and moves it on to the occurrence
 * after the failed run, so one unpaid run does not block the following ones.
 */
export async function recordAllowanceRunFailure(
  deps: { schedules: Pick<AllowanceScheduleRepository, 'findById'>; ledger: Pick<AllowanceLedger, 'recordRunFailure'>; clock: Clock },
  message: unknown,
  reason: string,
): Promise<RecordAllowanceRunFailureOutcome> {
  const parsed = parse(message);
  if ('kind' in parsed) return parsed;
  const schedule = await deps.schedules.findById(parsed.scheduleId);
  if (schedule === null) return { kind: 'rejected', code: 'ALLOWANCE.NOT_FOUND', reason: `schedule ${parsed.scheduleId} does not exist` };
  const nextRunAt = nextAllowanceRun(schedule.anchorAt, schedule.frequency, parsed.runAt);
  await deps.ledger.recordRunFailure({ scheduleId: schedule.id, runAt: parsed.runAt, reason, nextRunAt, failedAt: deps.clock.now() });
  return { kind: 'recorded', scheduleId: schedule.id, nextRunAt };
}

type Rejected = Extract<CreditAllowanceRunOutcome, { kind: 'rejected' }>;

async function checkRun(deps: CreditAllowanceRunDeps, message: unknown): Promise<Rejected | { schedule: AllowanceSchedule; runAt: Date }> {
  const parsed = parse(message);
  if ('kind' in parsed) return parsed;
  const { scheduleId, runAt } = parsed;
  const schedule = await deps.schedules.findById(scheduleId);
  if (schedule === null) return rejected('ALLOWANCE.NOT_FOUND', `schedule ${scheduleId} does not exist`);
  if (schedule.status !== 'ON') return rejected('ALLOWANCE.INVALID_RUN', `schedule ${scheduleId} is ${schedule.status}`);
  if (!isAllowanceOccurrence(schedule.anchorAt, schedule.frequency, runAt)) {
    return rejected('ALLOWANCE.INVALID_RUN', `${runAt.toISOString()} is not an occurrence of schedule ${scheduleId}`);
  }
  if (runAt.getTime() > deps.clock.now().getTime()) return rejected('ALLOWANCE.INVALID_RUN', `${runAt.toISOString()} is in the future`);
  return { schedule, runAt };
}

function parse(message: unknown): Rejected | ParsedAllowanceMessage {
  try {
    return parseAllowanceMessage(message);
  } catch (error) {
    if (isDomainError(error)) return rejected(error.code, error.message);
    throw error;
  }
}

const rejected = (code: DomainErrorCode, reason: string): Rejected => ({ kind: 'rejected', code, reason });
