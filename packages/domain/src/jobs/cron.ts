import { DomainError } from '../kernel/domain-error';

/**
 * Five-field cron rules in UTC (`minute hour day-of-month month day-of-week`), the form of docs/architecture.md (Time).
 * Fields accept `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, and lists `a,b`.
 * Day-of-week is 0–7 with both 0 and 7 meaning Sunday. When both day fields are restricted,
 * a day matches either one (the classic cron rule).
 */
export interface CronRule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** The most days each month can have: February's 29th comes in leap years. */
const LONGEST_MONTHS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a UTC cron rule; throws SCHEDULE.INVALID_CRON naming the bad field. A rule whose days of
 * month fall in none of its months (`0 0 30 2 *`) never fires and is refused, even with a day of
 * week beside it: node-schedule cannot schedule such a rule, and nobody means one.
 */
export function parseCron(expression: string): CronRule {
  if (typeof expression !== 'string') throw invalidCron(String(expression), 'expected a string');
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw invalidCron(expression, `expected 5 fields, got ${parts[0] === '' ? 0 : parts.length}`);
  const sets = parts.map((part, i) => parseField(expression, part, FIELDS[i]!));
  const [daysOfMonth, months] = [sets[2]!, sets[3]!];
  if (![...months].some((month) => [...daysOfMonth].some((day) => day <= LONGEST_MONTHS[month - 1]!))) {
    throw invalidCron(expression, `day of month "${parts[2]}" falls in none of the months "${parts[3]}", so the rule never fires`);
  }
  const daysOfWeek = new Set([...sets[4]!].map((d) => (d === 7 ? 0 : d)));
  return {
    expression: parts.join(' '),
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthRestricted: parts[2] !== '*',
    dayOfWeekRestricted: parts[4] !== '*',
  };
}

/** Validates a cron rule and returns its normalised text; throws SCHEDULE.INVALID_CRON. */
export function assertValidCron(expression: string): string {
  return parseCron(expression).expression;
}

/** The first instant strictly after `after` (to the minute) that the rule fires at, in UTC. */
export function nextCronRun(rule: CronRule | string, after: Date): Date {
  const cron = typeof rule === 'string' ? parseCron(rule) : rule;
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  // Bounds the search; every rule parseCron accepts fires well within it (Feb 29 rules within 8 years).
  const limit = t.getTime() + 8 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  throw invalidCron(cron.expression, 'the rule never fires');
}

/** The last instant at or before `atOrBefore` (to the minute) that the rule fired at, in UTC: the slot a run was due for. */
export function previousCronRun(rule: CronRule | string, atOrBefore: Date): Date {
  const cron = typeof rule === 'string' ? parseCron(rule) : rule;
  const t = new Date(Math.floor(atOrBefore.getTime() / 60_000) * 60_000);
  const limit = t.getTime() - 8 * 366 * 86_400_000;
  // Each skip lands on the last minute of the unit before: the month, the day, the hour.
  while (t.getTime() >= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCDate(1);
      t.setUTCHours(0, 0, 0, 0);
      t.setTime(t.getTime() - 60_000);
      continue;
    }
    if (!dayMatches(cron, t)) {
      t.setUTCHours(0, 0, 0, 0);
      t.setTime(t.getTime() - 60_000);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCMinutes(0, 0, 0);
      t.setTime(t.getTime() - 60_000);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setTime(t.getTime() - 60_000);
      continue;
    }
    return t;
  }
  throw invalidCron(cron.expression, 'the rule never fires');
}

function dayMatches(cron: CronRule, t: Date): boolean {
  const dom = cron.daysOfMonth.has(t.getUTCDate());
  const dow = cron.daysOfWeek.has(t.getUTCDay());
  if (cron.dayOfMonthRestricted && cron.dayOfWeekRestricted) return dom || dow;
  return dom && dow;
}

function parseField(expression: string, text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw invalidCron(expression, `${field.name} "${item}" is not a number, range, step or *`);
    const [, , fromText, toText, stepText] = match;
    const from = fromText === undefined ? field.min : Number(fromText);
    const to = fromText === undefined ? field.max : toText === undefined ? (stepText ? field.max : from) : Number(toText);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < field.min || to > field.max || from > to) {
      throw invalidCron(expression, `${field.name} "${item}" is outside ${field.min}-${field.max}`);
    }
    if (step < 1) throw invalidCron(expression, `${field.name} step must be at least 1`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function invalidCron(expression: string, reason: string): DomainError {
  return new DomainError('SCHEDULE.INVALID_CRON', `invalid cron rule ${JSON.stringify(expression)}: ${reason}`, { value: expression });
}
