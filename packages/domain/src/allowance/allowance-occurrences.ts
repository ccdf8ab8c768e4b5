import { ChronoUnit, LocalDateTime, ZoneId } from '@js-joda/core';
import '@js-joda/timezone';
import { DomainError } from '../kernel/domain-error';
import { CR_ZONE, toCRZoned } from '../time/cr-time';

export const ALLOWANCE_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type AllowanceFrequency = (typeof ALLOWANCE_FREQUENCIES)[number];

export const ALLOWANCE_STATUSES = ['ON', 'OFF'] as const;
export type AllowanceStatus = (typeof ALLOWANCE_STATUSES)[number];

/** ALLOWANCE_MISSED_RUNS: credit every missed run once, or only the latest one. */
export type MissedRunsPolicy = 'all' | 'latest';

const zone = ZoneId.of(CR_ZONE);

export const isAllowanceFrequency = (value: unknown): value is AllowanceFrequency =>
  typeof value === 'string' && (ALLOWANCE_FREQUENCIES as readonly string[]).includes(value);

export const isAllowanceStatus = (value: unknown): value is AllowanceStatus =>
  typeof value === 'string' && (ALLOWANCE_STATUSES as readonly string[]).includes(value);

/**
 * Occurrence `k` of a schedule: the anchor plus `k` days, weeks or months in the CR local calendar,
 * at the anchor's local time of day. Monthly occurrences are computed from the anchor every time, so a
 * 31st clamps to each short month's last day without drifting (Jan 31 → Feb 28 → Mar 31 → Apr 30).
 */
export function allowanceOccurrence(anchor: Date, frequency: AllowanceFrequency, k: number): Date {
  assertIndex(k);
  return occurrenceFrom(anchorLocal(anchor, frequency), frequency, k);
}

/** The first occurrence strictly after `after` (occurrence 0 when `after` is before the anchor). */
export function nextAllowanceRun(anchor: Date, frequency: AllowanceFrequency, after: Date): Date {
  const local = anchorLocal(anchor, frequency);
  return occurrenceFrom(local, frequency, indexOfFirstAfter(anchor, local, frequency, instantMs(after)));
}

/**
 * The first occurrence at or after `t`: where a schedule turned ON again resumes, so paused time is
 * never paid. Instants are whole milliseconds, so "at or after t" is "strictly after t − 1 ms".
 */
export function firstOccurrenceAtOrAfter(anchor: Date, frequency: AllowanceFrequency, t: Date): Date {
  return nextAllowanceRun(anchor, frequency, new Date(instantMs(t) - 1));
}

export function isAllowanceOccurrence(anchor: Date, frequency: AllowanceFrequency, instant: Date): boolean {
  return firstOccurrenceAtOrAfter(anchor, frequency, instant).getTime() === instantMs(instant);
}

/**
 * The runs due in `[from, now]`, oldest first, where `from` is the schedule's next_run_at.
 * `all` returns each of them (at most `limit`, the oldest first; later ones are picked up once
 * next_run_at has moved on); `latest` returns only the most recent one.
 */
export function dueRunsUpTo(
  anchor: Date,
  frequency: AllowanceFrequency,
  from: Date,
  now: Date,
  policy: MissedRunsPolicy,
  limit = Number.POSITIVE_INFINITY,
): Date[] {
  if (policy !== 'all' && policy !== 'latest') {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid missed-runs policy ${String(policy)}: expected all or latest`, { value: String(policy) });
  }
  if (!(limit >= 1) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid limit ${String(limit)}: expected a positive integer`, { value: limit });
  }
  const local = anchorLocal(anchor, frequency);
  const first = indexOfFirstAfter(anchor, local, frequency, instantMs(from) - 1);
  const end = indexOfFirstAfter(anchor, local, frequency, instantMs(now));
  if (end <= first) return [];
  if (policy === 'latest') return [occurrenceFrom(local, frequency, end - 1)];
  const count = Math.min(end - first, limit);
  return Array.from({ length: count }, (_, i) => occurrenceFrom(local, frequency, first + i));
}

/**
 * The index of the first occurrence strictly after `afterMs`. The calendar distance from the anchor
 * gives the index to within one either way, so the adjustment loops run at most a couple of times.
 */
function indexOfFirstAfter(anchor: Date, local: LocalDateTime, frequency: AllowanceFrequency, afterMs: number): number {
  if (afterMs < anchor.getTime()) return 0;
  const afterLocal = toCRZoned(new Date(afterMs)).toLocalDateTime();
  let k = Math.max(0, calendarDistance(local, afterLocal, frequency));
  while (k > 0 && occurrenceFrom(local, frequency, k - 1).getTime() > afterMs) k -= 1;
  while (occurrenceFrom(local, frequency, k).getTime() <= afterMs) k += 1;
  return k;
}

function calendarDistance(from: LocalDateTime, to: LocalDateTime, frequency: AllowanceFrequency): number {
  const days = ChronoUnit.DAYS.between(from.toLocalDate(), to.toLocalDate());
  switch (frequency) {
    case 'DAILY':
      return days;
    case 'WEEKLY':
      return Math.floor(days / 7);
    case 'MONTHLY':
      return (to.year() - from.year()) * 12 + (to.monthValue() - from.monthValue());
  }
}

function occurrenceFrom(local: LocalDateTime, frequency: AllowanceFrequency, k: number): Date {
  let epochMs = Number.NaN;
  try {
    const shifted = frequency === 'DAILY' ? local.plusDays(k) : frequency === 'WEEKLY' ? local.plusWeeks(k) : local.plusMonths(k);
    // A local time skipped by a DST change (CR, 1991–1992) moves forward, as the clocks did.
    epochMs = shifted.atZone(zone).toInstant().toEpochMilli();
  } catch {
    // js-joda refuses dates past its range; reported below like any unrepresentable instant.
  }
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('TIME.INVALID_INSTANT', `occurrence ${k} is beyond the representable range`, { k });
  }
  return date;
}

function anchorLocal(anchor: Date, frequency: AllowanceFrequency): LocalDateTime {
  if (!isAllowanceFrequency(frequency)) {
    throw new DomainError('ALLOWANCE.INVALID_FREQUENCY', `invalid frequency ${String(frequency)}: expected DAILY, WEEKLY or MONTHLY`, { value: String(frequency) });
  }
  return toCRZoned(anchor).toLocalDateTime();
}

function instantMs(instant: Date): number {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError('TIME.INVALID_INSTANT', `invalid instant ${String(instant)}`, { value: String(instant) });
  }
  return instant.getTime();
}

function assertIndex(k: number): void {
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid occurrence index ${String(k)}: expected a non-negative integer`, { value: k });
  }
}
