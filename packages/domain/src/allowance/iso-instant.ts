import { DateTimeFormatter, OffsetDateTime } from '@js-joda/core';
import { DomainError } from '../kernel/domain-error';
import { YEAR_0001_TO_9999 } from '../time/cr-time';

// A full date and time with an explicit offset. At most millisecond precision: a JS Date keeps no more,
// and an occurrence compared after silent rounding would no longer match.
const ISO_INSTANT = new RegExp(`^${YEAR_0001_TO_9999}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,3})?)?(?:Z|[+-]\\d{2}:\\d{2})$`);

const CANONICAL_UTC = new RegExp(`^${YEAR_0001_TO_9999}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$`);

/**
 * Parses an ISO-8601 instant with an offset (`2025-03-01T08:00:00-06:00`, `2025-03-01T14:00:00Z`);
 * an existing calendar date (year 0001 or later) and time are required. Throws TIME.INVALID_INSTANT
 * naming the field.
 */
export function parseIsoInstant(value: unknown, field: string): Date {
  const text = typeof value === 'string' ? value : undefined;
  // The form `toISOString` writes (every queue message): valid exactly when it reads back the same.
  if (text !== undefined && CANONICAL_UTC.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === text) return date;
  }
  if (text !== undefined && ISO_INSTANT.test(text)) {
    try {
      const date = new Date(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli());
      if (!Number.isNaN(date.getTime())) return date;
    } catch {
      // Out-of-range fields (Feb 30, 24:00, +25:00) fall through to the domain error.
    }
  }
  throw new DomainError('TIME.INVALID_INSTANT', `${field} must be an ISO-8601 instant with an offset, e.g. 2025-03-01T08:00:00-06:00`, {
    field,
    value: typeof value === 'string' ? value : typeof value,
  });
}
