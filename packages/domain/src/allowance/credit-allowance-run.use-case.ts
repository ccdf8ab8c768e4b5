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

/** A changed schedule is read again at most this many times before the run goes to the retry queue. */
const MAX_READS = 3;

/**
 * Credits one due run (docs/architecture.md, Allowance): checked first, then one ledger call. A message
 * that carries its schedule's terms is checked against them and credited without reading the schedule;
 * the ledger refuses the credit when the stored schedule no longer has those terms, and the schedule is
 * then read and the run checked against what is stored.
 */
export async function creditAllowanceRun(deps: CreditAllowanceRunDeps, message: unknown): Promise<CreditAllowanceRunOutcome> {
  const parsed = parse(message);
  if ('kind' in parsed) return parsed;
  const { scheduleId, runAt } = parsed;
  if (runAt.getTime() > deps.clock.now().getTime()) return rejected('ALLOWANCE.INVALID_RUN', `${runAt.toISOString()} is in the future`);
  let carried = parsed.terms !== null && isAllowanceOccurrence(parsed.terms.anchorAt, parsed.terms.frequency, runAt) ? parsed.terms : null;
  for (let reads = 0; ; ) {
    let terms: RunTerms;
    if (carried !== null) {
      terms = carried;
      carried = null;
    } else {
      if (reads === MAX_READS) {
        return { kind: 'retryable', code: 'ALLOWANCE.SCHEDULE_CHANGED', reason: `schedule ${scheduleId} changed while run ${runAt.toISOString()} was being credited` };
      }
      reads += 1;
      const stored = await readSchedule(deps, scheduleId, runAt);
      if ('kind' in stored) return stored;
      terms = stored;
    }
    const result = await deps.ledger.creditRun({
      scheduleId,
      runAt,
      amount: terms.amount,
      guardianId: terms.guardianId,
      juniorId: terms.juniorId,
      frequency: terms.frequency,
      anchorAt: terms.anchorAt,
      nextRunAt: nextAllowanceRun(terms.anchorAt, terms.frequency, runAt),
      creditedAt: deps.clock.now(),
    });
    switch (result.outcome) {
      case 'credited':
        return { kind: 'credited', scheduleId, runAt, transactionId: result.transactionId };
      case 'duplicate':
        return { kind: 'duplicate', scheduleId, runAt };
      case 'insufficient_funds':
        return { kind: 'retryable', code: 'ALLOWANCE.INSUFFICIENT_FUNDS', reason: `guardian balance is below ${terms.amount}` };
      case 'not_live':
        // Checked against the message's terms: the stored schedule says why (gone, OFF or changed).
        if (reads === 0) continue;
        return rejected('ALLOWANCE.INVALID_RUN', `schedule ${scheduleId} was turned OFF or deleted before the run was credited`);
      case 'changed':
        continue;
    }
  }
}

type RunTerms = Pick<AllowanceSchedule, 'guardianId' | 'juniorId' | 'amount' | 'frequency' | 'anchorAt'>;

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

/** The stored schedule's terms, or why the run can never be credited. */
async function readSchedule(deps: CreditAllowanceRunDeps, scheduleId: string, runAt: Date): Promise<Rejected | RunTerms> {
  const schedule = await deps.schedules.findById(scheduleId);
  if (schedule === null) return rejected('ALLOWANCE.NOT_FOUND', `schedule ${scheduleId} does not exist`);
  if (schedule.status !== 'ON') return rejected('ALLOWANCE.INVALID_RUN', `schedule ${scheduleId} is ${schedule.status}`);
  if (!isAllowanceOccurrence(schedule.anchorAt, schedule.frequency, runAt)) {
    return rejected('ALLOWANCE.INVALID_RUN', `${runAt.toISOString()} is not an occurrence of schedule ${scheduleId}`);
  }
  return schedule;
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
