import { DomainError } from '../kernel/domain-error';
import { addCRDays, crDayRange, crLocalToInstant, parseCRDate, toCRDateString, toCRZoned } from '../time/cr-time';
import { parseDrawSchedules, type DrawSchedule, type LoteriaRules } from './draw-schedule-rules';

/** A draw a lottery's schedule asks for: the sorteo auto-create makes. */
export interface DrawOccurrence {
  loteriaId: string;
  /** `"<loteria name> <HH:MM>"` with the CR local time of `scheduledAt`. */
  name: string;
  scheduledAt: Date;
}

/** Instants `[from, to)`. */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Every draw of the lottery's schedules with `from <= scheduledAt < to`, sorted, one per instant.
 * Days are CR calendar days, so a draw at 23:59 CR lands on the next UTC date and 00:00 CR at 06:00Z.
 * A local time skipped by a CR clock change (1991–1992) happens at the shifted instant, as clocks did,
 * and is named after it. Throws LOTERIA.INVALID_DRAW_SCHEDULE for a bad schedule or window.
 */
export function expandDrawSchedule(loteria: LoteriaRules, window: TimeWindow): DrawOccurrence[] {
  const schedules = parseDrawSchedules(loteria);
  const { from, to } = checkWindow(loteria, window);
  if (from.getTime() === to.getTime()) return [];

  const byInstant = new Map<number, DrawOccurrence>();
  const lastDay = toCRDateString(new Date(to.getTime() - 1));
  for (let day = toCRDateString(from); day <= lastDay; day = addCRDays(day, 1)) {
    for (const schedule of schedules) {
      if (!drawsOn(schedule, day)) continue;
      for (const time of schedule.times) {
        const scheduledAt = crLocalToInstant(day, time);
        if (scheduledAt < from || scheduledAt >= to || byInstant.has(scheduledAt.getTime())) continue;
        byInstant.set(scheduledAt.getTime(), { loteriaId: loteria.id, name: `${loteria.name} ${crHHMM(scheduledAt)}`, scheduledAt });
      }
    }
  }
  return [...byInstant.entries()].sort(([a], [b]) => a - b).map(([, occurrence]) => occurrence);
}

/**
 * The auto-create window of docs/architecture.md (The banca rules): `[now, start of the CR day todayCR + daysAhead)`.
 * Throws VALIDATION.INVALID_INPUT unless daysAhead is a positive integer.
 */
export function autoCreateWindow(now: Date, daysAhead = 7): TimeWindow {
  if (!Number.isInteger(daysAhead) || daysAhead < 1) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid daysAhead ${String(daysAhead)}: expected an integer of at least 1`, {
      field: 'daysAhead',
      value: daysAhead,
    });
  }
  const today = toCRDateString(now);
  return { from: new Date(now.getTime()), to: crDayRange(addCRDays(today, daysAhead)).start };
}

function drawsOn(schedule: DrawSchedule, crDate: string): boolean {
  if (schedule.exceptDates.includes(crDate)) return false;
  if (schedule.daysOfWeek === undefined) return true;
  // js-joda numbers Monday 1 … Sunday 7; the rules use 0 = Sunday.
  return schedule.daysOfWeek.includes(parseCRDate(crDate).dayOfWeek().value() % 7);
}

function crHHMM(instant: Date): string {
  const time = toCRZoned(instant).toLocalTime();
  return `${String(time.hour()).padStart(2, '0')}:${String(time.minute()).padStart(2, '0')}`;
}

const isValidInstant = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());
const describeInstant = (value: unknown): string => (isValidInstant(value) ? value.toISOString() : String(value));

function checkWindow(loteria: LoteriaRules, window: TimeWindow): TimeWindow {
  const { from, to } = (window ?? {}) as Partial<TimeWindow>;
  if (!isValidInstant(from) || !isValidInstant(to) || from > to) {
    throw new DomainError(
      'LOTERIA.INVALID_DRAW_SCHEDULE',
      `invalid window for the draws of loteria "${loteria.name}" (${loteria.id}): expected valid instants with from <= to`,
      { loteriaId: loteria.id, field: 'window', from: describeInstant(from), to: describeInstant(to) },
    );
  }
  return { from, to };
}
