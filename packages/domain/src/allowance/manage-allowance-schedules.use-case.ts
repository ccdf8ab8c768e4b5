import type { Clock } from '../kernel/clock.port';
import { DomainError } from '../kernel/domain-error';
import { isAllowanceId } from './allowance-message';
import { firstOccurrenceAtOrAfter } from './allowance-occurrences';
import { type AllowanceSchedule, parseCreateAllowanceInput, parseUpdateAllowanceInput } from './allowance-schedule';
import type { AllowanceScheduleChanges, AllowanceScheduleRepository } from './allowance.ports';

type Schedules<K extends keyof AllowanceScheduleRepository> = Pick<AllowanceScheduleRepository, K>;

export interface GuardianScheduleRef {
  guardianId: string;
  scheduleId: string;
}

/**
 * Creates the schedule of a guardian's junior. Occurrence 0 (the first run) is `startAt`, or now.
 * Throws the input's validation codes, JUNIOR.NOT_FOUND, ALLOWANCE.ALREADY_EXISTS. The repository
 * checks that the junior is the guardian's in the same step as it writes (one statement in PostgreSQL).
 */
export async function createAllowanceSchedule(
  deps: { schedules: Schedules<'create'>; clock: Clock },
  request: { guardianId: string; juniorId: string; body: unknown },
): Promise<AllowanceSchedule> {
  const now = deps.clock.now();
  const input = parseCreateAllowanceInput(request.body, now);
  if (!isAllowanceId(request.juniorId)) throw new DomainError('JUNIOR.NOT_FOUND', 'junior not found', { juniorId: request.juniorId });
  const anchorAt = input.startAt ?? now;
  return deps.schedules.create({
    guardianId: request.guardianId,
    juniorId: request.juniorId,
    amount: input.amount,
    frequency: input.frequency,
    status: input.status,
    anchorAt,
    nextRunAt: anchorAt,
    createdAt: now,
  });
}

/**
 * Applies `{ amount?, frequency?, status? }`.
 * - OFF → ON resumes at the first occurrence at or after now: paused time is never paid.
 * - A new frequency keeps the payment already promised: the pending next run (after any resume)
 *   becomes the new anchor, so the next payment keeps its date and time of day and the new rhythm
 *   counts from it. A run due at that instant and already queued stays a valid occurrence, so it is
 *   neither lost nor paid twice.
 * - A new amount applies to every run credited from now on, including runs already queued.
 */
export async function updateAllowanceSchedule(
  deps: { schedules: Schedules<'findForGuardian' | 'update'>; clock: Clock },
  request: GuardianScheduleRef & { body: unknown },
): Promise<AllowanceSchedule> {
  const input = parseUpdateAllowanceInput(request.body);
  const current = await getAllowanceSchedule(deps, request);
  const now = deps.clock.now();
  const changes: AllowanceScheduleChanges = { updatedAt: now, ...input };
  let nextRunAt = current.nextRunAt;
  if (current.status === 'OFF' && input.status === 'ON') {
    nextRunAt = firstOccurrenceAtOrAfter(current.anchorAt, current.frequency, now);
    changes.nextRunAt = nextRunAt;
  }
  if (input.frequency !== undefined && input.frequency !== current.frequency) {
    changes.anchorAt = nextRunAt;
    changes.nextRunAt = nextRunAt;
  }
  const updated = await deps.schedules.update(request.guardianId, request.scheduleId, changes);
  if (updated === null) throw notFound(request.scheduleId);
  return updated;
}

export async function deleteAllowanceSchedule(deps: { schedules: Schedules<'delete'> }, request: GuardianScheduleRef): Promise<void> {
  if (!isAllowanceId(request.scheduleId) || !(await deps.schedules.delete(request.guardianId, request.scheduleId))) {
    throw notFound(request.scheduleId);
  }
}

export async function getAllowanceSchedule(
  deps: { schedules: Schedules<'findForGuardian'> },
  request: GuardianScheduleRef,
): Promise<AllowanceSchedule> {
  const schedule = isAllowanceId(request.scheduleId) ? await deps.schedules.findForGuardian(request.guardianId, request.scheduleId) : null;
  if (schedule === null) throw notFound(request.scheduleId);
  return schedule;
}

export function listAllowanceSchedules(deps: { schedules: Schedules<'listForGuardian'> }, request: { guardianId: string }): Promise<AllowanceSchedule[]> {
  return deps.schedules.listForGuardian(request.guardianId);
}

const notFound = (scheduleId: string): DomainError => new DomainError('ALLOWANCE.NOT_FOUND', 'allowance schedule not found', { scheduleId });
