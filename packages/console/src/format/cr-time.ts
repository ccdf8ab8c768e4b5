/** The business time zone: every time the console shows is Costa Rica's, with the zone named. */
export const CR_ZONE = 'America/Costa_Rica';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: CR_ZONE,
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const offsetName = new Intl.DateTimeFormat('en-US', { timeZone: CR_ZONE, timeZoneName: 'shortOffset' });
const calendarDay = new Intl.DateTimeFormat('en-CA', { timeZone: CR_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** `GMT-6` → `UTC−6`, as the zone's offset at that instant (tzdb: Costa Rica kept summer time in 1991–92). */
export function crOffsetLabel(instant: Date): string {
  const name = offsetName.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name.replace(/^GMT/, '');
  return offset === '' ? 'UTC' : `UTC${offset.replace('-', '−')}`;
}

/** `2026-11-27T03:00:00Z` → `26 Nov 2026, 21:00 CR`; the page header names the zone and its offset. */
export function formatCRDateTime(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return `${dateTime.format(instant)} CR`;
}

/** `26 Nov 2026, 21:00 CR (UTC−6) · 2026-11-27T03:00:00.000Z`: the CR time with its offset, and the instant in UTC. */
export function describeInstant(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return `${formatCRDateTime(iso)} (${crOffsetLabel(instant)}) · ${instant.toISOString()}`;
}

/** The CR calendar date (`YYYY-MM-DD`) of an instant. */
export const crDateOf = (instant: Date): string => calendarDay.format(instant);

/** The instant a CR calendar day starts, from the zone's own offset on that day. */
export function crDayStart(crDate: string): Date {
  const [year, month, day] = crDate.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, day);
  // The offset at CR midnight is the offset at UTC midnight plus that offset, unless the day starts a change.
  const guess = new Date(utcMidnight - offsetMinutes(new Date(utcMidnight)) * 60_000);
  return new Date(utcMidnight - offsetMinutes(guess) * 60_000);
}

/** The zone's offset from UTC in minutes at an instant (−360 for UTC−6). */
function offsetMinutes(instant: Date): number {
  const label = crOffsetLabel(instant);
  const match = /^UTC([+−])(\d{1,2})(?::(\d{2}))?$/.exec(label);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '−' ? -minutes : minutes;
}

/** `1234` ms → `1.2 s`; `65000` → `1 min 5 s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A calendar date `days` later (`YYYY-MM-DD`), by the calendar alone. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The CR month before the one of an instant (`YYYY-MM`). */
export function previousCRMonth(instant: Date): string {
  const [year, month] = crDateOf(instant).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
