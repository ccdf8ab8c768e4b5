export { DRAW_FREQUENCIES, parseDrawSchedules } from './draw-schedule-rules';
export type { DrawFrequency, DrawSchedule, LoteriaRules } from './draw-schedule-rules';
export { autoCreateWindow, expandDrawSchedule } from './draw-schedule';
export type { DrawOccurrence, TimeWindow } from './draw-schedule';
export {
  SORTEO_STATUSES,
  TICKET_STATUSES_NOT_SOLD,
  assertTransition,
  canTransition,
  isSoldTicketStatus,
  isSorteoStatus,
} from './sorteo-lifecycle';
export type { SorteoStatus } from './sorteo-lifecycle';
export type { CreateManyResult, LoteriaForAutoCreate, LoteriaRepository, SorteoRepository } from './sorteos.ports';
export { autoOpenSorteos } from './auto-open.use-case';
export type { AutoOpenSummary } from './auto-open.use-case';
export { autoCreateSorteos } from './auto-create.use-case';
export type { AutoCreateDeps, AutoCreateSummary } from './auto-create.use-case';
export { autoCloseSorteos } from './auto-close.use-case';
export type { AutoCloseSummary } from './auto-close.use-case';
