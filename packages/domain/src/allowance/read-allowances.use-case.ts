import { DomainError } from '../kernel/domain-error';
import { assertPageLimit, decodeCursor, DEFAULT_PAGE_LIMIT, type Page, pageOf } from '../kernel/page';
import { type AdminAllowanceScheduleView, type AllowanceCreditView, toAdminAllowanceScheduleView, toAllowanceCreditView } from './allowance-schedule';
import type { AllowanceScheduleRepository } from './allowance.ports';
import { isAllowanceId } from './allowance-message';
import { getAllowanceSchedule } from './manage-allowance-schedules.use-case';

type Schedules<K extends keyof AllowanceScheduleRepository> = Pick<AllowanceScheduleRepository, K>;

export interface PageRequest {
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string;
}

/**
 * An operator's search for schedules: those of one guardian or those of one junior, exactly one of
 * the two (else VALIDATION.INVALID_INPUT naming the field), deleted ones included, oldest first.
 */
export async function findAllowanceSchedules(
  deps: { schedules: Schedules<'findSchedules'> },
  request: PageRequest & { guardianId?: string; juniorId?: string },
): Promise<Page<AdminAllowanceScheduleView>> {
  const { guardianId, juniorId } = request;
  if (guardianId === undefined && juniorId === undefined) throw invalid('guardianId', 'give guardianId or juniorId');
  if (guardianId !== undefined && juniorId !== undefined) throw invalid('juniorId', 'give guardianId or juniorId, not both');
  const limit = assertPageLimit(request.limit ?? DEFAULT_PAGE_LIMIT);
  const filter = guardianId !== undefined ? { guardianId } : { juniorId: juniorId! };
  const tag = guardianId !== undefined ? `guardian:${guardianId}` : `junior:${juniorId}`;
  let after: { createdAt: Date; id: string } | null = null;
  if (request.cursor !== undefined) {
    const [cursorTag, createdAt, id] = decodeCursor(request.cursor, ['text', 'instant', 'uuid']) as string[];
    if (cursorTag !== tag) throw invalid('cursor', 'cursor is not a cursor this list gave out');
    after = { createdAt: new Date(createdAt!), id: id! };
  }
  const rows = await deps.schedules.findSchedules({ ...filter, after, limit: limit + 1 });
  return pageOf(rows, limit, (row) => [tag, row.createdAt.toISOString(), row.id], toAdminAllowanceScheduleView);
}

/** An operator's read of a schedule's credits (deleted schedules too), newest run first; ALLOWANCE.NOT_FOUND for no schedule. */
export async function listAllowanceCredits(
  deps: { schedules: Schedules<'findRecordById' | 'listCredits'> },
  request: PageRequest & { scheduleId: string },
): Promise<Page<AllowanceCreditView>> {
  const limit = assertPageLimit(request.limit ?? DEFAULT_PAGE_LIMIT);
  const beforeRunAt = creditCursor(request);
  const schedule = isAllowanceId(request.scheduleId) ? await deps.schedules.findRecordById(request.scheduleId) : null;
  if (schedule === null) throw new DomainError('ALLOWANCE.NOT_FOUND', 'allowance schedule not found', { scheduleId: request.scheduleId });
  return creditsPage(deps, schedule.id, beforeRunAt, limit);
}

/** A guardian's read of one of their schedules' credits, newest first; another guardian's schedule is ALLOWANCE.NOT_FOUND. */
export async function listGuardianAllowanceCredits(
  deps: { schedules: Schedules<'findForGuardian' | 'listCredits'> },
  request: PageRequest & { guardianId: string; scheduleId: string },
): Promise<Page<AllowanceCreditView>> {
  const limit = assertPageLimit(request.limit ?? DEFAULT_PAGE_LIMIT);
  const beforeRunAt = creditCursor(request);
  const schedule = await getAllowanceSchedule(deps, request);
  return creditsPage(deps, schedule.id, beforeRunAt, limit);
}

async function creditsPage(deps: { schedules: Schedules<'listCredits'> }, scheduleId: string, beforeRunAt: Date | null, limit: number): Promise<Page<AllowanceCreditView>> {
  const rows = await deps.schedules.listCredits({ scheduleId, beforeRunAt, limit: limit + 1 });
  return pageOf(rows, limit, (row) => [`credits:${scheduleId}`, row.runAt.toISOString()], toAllowanceCreditView);
}

/** The run a credits cursor stops before; a cursor of another schedule's credits is refused. */
function creditCursor(request: PageRequest & { scheduleId: string }): Date | null {
  if (request.cursor === undefined) return null;
  const [tag, runAt] = decodeCursor(request.cursor, ['text', 'instant']) as string[];
  if (tag !== `credits:${request.scheduleId}`) throw invalid('cursor', 'cursor is not a cursor this list gave out');
  return new Date(runAt!);
}

const invalid = (field: string, message: string): DomainError => new DomainError('VALIDATION.INVALID_INPUT', message, { field });
