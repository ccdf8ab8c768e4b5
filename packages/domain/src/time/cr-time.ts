import {
  DateTimeFormatter,
  DateTimeParseException,
  Instant,
  LocalDate,
  LocalTime,
  ResolverStyle,
  YearMonth,
  ZonedDateTime,
  ZoneId,
} from '@js-joda/core';
import '@js-joda/timezone';
import { DomainError } from '../kernel/domain-error';

/** The business time zone (docs/architecture.md, Time). */
export const CR_ZONE = 'America/Costa_Rica';
const zone = ZoneId.of(CR_ZONE);

const STRICT_DATE = DateTimeFormatter.ofPattern('uuuu-MM-dd').withResolverStyle(ResolverStyle.STRICT);
const STRICT_MONTH = DateTimeFormatter.ofPattern('uuuu-MM').withResolverStyle(ResolverStyle.STRICT);

/** Years 0001 to 9999: PostgreSQL's calendar has no year 0 (1 BC is followed by AD 1), so year 0000 never reaches SQL. */
export const YEAR_0001_TO_9999 = '(?!0000)\\d{4}';
const DATE_TEXT = new RegExp(`^${YEAR_0001_TO_9999}-\\d{2}-\\d{2}$`);
const MONTH_TEXT = new RegExp(`^${YEAR_0001_TO_9999}-\\d{2}$`);

/** Parses a CR calendar date `YYYY-MM-DD` (year 0001 or later); throws TIME.INVALID_DATE. */
export function parseCRDate(crDate: string): LocalDate {
  if (typeof crDate !== 'string' || !DATE_TEXT.test(crDate)) throw invalidDate(crDate);
  try {
    return LocalDate.parse(crDate, STRICT_DATE);
  } catch (error) {
    if (error instanceof DateTimeParseException) throw invalidDate(crDate);
    throw error;
  }
}

/** Parses a month `YYYY-MM` (year 0001 or later); throws TIME.INVALID_MONTH. */
export function parseMonth(month: string): YearMonth {
  if (typeof month !== 'string' || !MONTH_TEXT.test(month)) throw invalidMonth(month);
  try {
    return YearMonth.parse(month, STRICT_MONTH);
  } catch (error) {
    if (error instanceof DateTimeParseException) throw invalidMonth(month);
    throw error;
  }
}

/** Parses a CR local time of day `HH:MM` (24 h); throws TIME.INVALID_TIME. */
export function parseHHMM(hhmm: string): LocalTime {
  const match = typeof hhmm === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm) : null;
  if (!match) {
    throw new DomainError('TIME.INVALID_TIME', `invalid time ${JSON.stringify(hhmm)}: expected HH:MM from 00:00 to 23:59`, { value: hhmm });
  }
  return LocalTime.of(Number(match[1]), Number(match[2]));
}

/** The instant as a js-joda Instant; throws TIME.INVALID_INSTANT for an invalid Date. */
export function toInstant(instant: Date): Instant {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError('TIME.INVALID_INSTANT', `invalid instant ${String(instant)}`, { value: String(instant) });
  }
  return Instant.ofEpochMilli(instant.getTime());
}

const toDate = (zoned: ZonedDateTime): Date => new Date(zoned.toInstant().toEpochMilli());

/** The CR calendar date of an instant, `YYYY-MM-DD`. */
export function toCRDateString(instant: Date): string {
  return ZonedDateTime.ofInstant(toInstant(instant), zone).toLocalDate().toString();
}

/** The CR local date and time of an instant. */
export function toCRZoned(instant: Date): ZonedDateTime {
  return ZonedDateTime.ofInstant(toInstant(instant), zone);
}

/**
 * A PostgreSQL `date` value as `YYYY-MM-DD` with its calendar date unchanged. A string is validated
 * (a timestamp-looking string keeps its date part); a Date is read by its UTC calendar fields,
 * as drivers that build dates at UTC midnight do.
 */
export function postgresDateToCRString(value: Date | string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidDate(String(value));
    return LocalDate.of(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()).toString();
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/.test(value)) return parseCRDate(value.slice(0, 10)).toString();
  throw invalidDate(value);
}

/** The instant at which a CR local date and time happens (a DST gap moves forward, as clocks did). */
export function crLocalToInstant(crDate: string, hhmm: string): Date {
  return toDate(ZonedDateTime.of(parseCRDate(crDate), parseHHMM(hhmm), zone));
}

/** `[start, end)` of a CR calendar day. */
export function crDayRange(crDate: string): { start: Date; end: Date } {
  const day = parseCRDate(crDate);
  return { start: toDate(day.atStartOfDay(zone)), end: toDate(day.plusDays(1).atStartOfDay(zone)) };
}

/** A CR date moved by whole calendar days. */
export function addCRDays(crDate: string, days: number): string {
  if (!Number.isInteger(days)) {
    throw new DomainError('TIME.INVALID_DATE', `invalid number of days ${String(days)}: expected an integer`, { value: days });
  }
  return parseCRDate(crDate).plusDays(days).toString();
}

/** The month before the CR month of `now`, `YYYY-MM`. */
export function previousCRMonth(now: Date): string {
  return YearMonth.from(toCRZoned(now).toLocalDate()).minusMonths(1).toString();
}

/** The CR month of `now`, `YYYY-MM`. */
export function crMonthOf(now: Date): string {
  return YearMonth.from(toCRZoned(now).toLocalDate()).toString();
}

/** The month `months` after `month` (before, when negative), `YYYY-MM`; throws TIME.INVALID_MONTH. */
export function addMonths(month: string, months: number): string {
  return parseMonth(month).plusMonths(months).toString();
}

/** `[start, end)` instants of a CR month and its first and last calendar days. */
export function crMonthRange(month: string): { start: Date; end: Date; firstDay: string; lastDay: string } {
  const yearMonth = parseMonth(month);
  const first = yearMonth.atDay(1);
  const last = yearMonth.atEndOfMonth();
  return {
    start: toDate(first.atStartOfDay(zone)),
    end: toDate(last.plusDays(1).atStartOfDay(zone)),
    firstDay: first.toString(),
    lastDay: last.toString(),
  };
}

/** Validates a month string and returns it; throws TIME.INVALID_MONTH. */
export function assertMonth(month: string): string {
  return parseMonth(month).toString();
}

/** Validates a CR date string and returns it; throws TIME.INVALID_DATE. */
export function assertCRDate(crDate: string): string {
  return parseCRDate(crDate).toString();
}

function invalidDate(value: unknown): DomainError {
  return new DomainError('TIME.INVALID_DATE', `invalid date ${JSON.stringify(value)}: expected an existing calendar date YYYY-MM-DD from year 0001`, { value });
}

function invalidMonth(value: unknown): DomainError {
  return new DomainError('TIME.INVALID_MONTH', `invalid month ${JSON.stringify(value)}: expected YYYY-MM from year 0001, with a month from 01 to 12`, { value });
}
