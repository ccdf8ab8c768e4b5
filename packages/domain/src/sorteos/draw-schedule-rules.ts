import { DomainError, isDomainError } from '../kernel/domain-error';
import { parseCRDate, parseHHMM } from '../time/cr-time';

export const DRAW_FREQUENCIES = ['diario', 'semanal', 'personalizado'] as const;
export type DrawFrequency = (typeof DRAW_FREQUENCIES)[number];

/** A lottery as the schedule rules see it: `rulesJson` is the raw `rules_json` column. */
export interface LoteriaRules {
  readonly id: string;
  readonly name: string;
  readonly rulesJson: unknown;
}

/** One validated draw schedule (docs/architecture.md, The banca rules). */
export interface DrawSchedule {
  readonly frequency: DrawFrequency;
  /** CR local `HH:MM`, as written. */
  readonly times: readonly string[];
  /** 0 = Sunday … 6 = Saturday, sorted and unique; absent means every day. */
  readonly daysOfWeek?: readonly number[];
  /** CR dates with no draws. */
  readonly exceptDates: readonly string[];
}

const SCHEDULE_FIELDS = ['frequency', 'times', 'daysOfWeek', 'exceptDates'];

/**
 * Reads and validates `rules_json.drawSchedule` (one object) or `rules_json.drawSchedules` (a non-empty
 * array). Unknown fields in a schedule are refused so a typo (`dayOfWeek`) cannot silently mean "every day".
 * JSON `null` counts as absent. Throws LOTERIA.INVALID_DRAW_SCHEDULE naming the lottery and the bad field.
 */
export function parseDrawSchedules(loteria: LoteriaRules): DrawSchedule[] {
  const fail = failureFor(loteria);
  const rules = loteria.rulesJson;
  if (!isPlainObject(rules)) throw fail('rulesJson', `must be an object, got ${typeName(rules)}`, rules);
  const single = rules['drawSchedule'] ?? undefined;
  const many = rules['drawSchedules'] ?? undefined;
  if (single !== undefined && many !== undefined) {
    throw fail('rulesJson', 'has both drawSchedule and drawSchedules: keep one');
  }
  if (many !== undefined) {
    if (!Array.isArray(many)) throw fail('drawSchedules', `must be an array, got ${typeName(many)}`, many);
    if (many.length === 0) throw fail('drawSchedules', 'must list at least one schedule', many);
    return many.map((schedule, i) => parseSchedule(schedule, `drawSchedules[${i}]`, fail));
  }
  if (single === undefined) throw fail('drawSchedule', 'is missing: expected drawSchedule or drawSchedules');
  return [parseSchedule(single, 'drawSchedule', fail)];
}

type Fail = (field: string, reason: string, value?: unknown) => DomainError;

function parseSchedule(raw: unknown, path: string, fail: Fail): DrawSchedule {
  if (!isPlainObject(raw)) throw fail(path, `must be an object, got ${typeName(raw)}`, raw);
  const unknownField = Object.keys(raw).find((key) => !SCHEDULE_FIELDS.includes(key));
  if (unknownField !== undefined) {
    throw fail(`${path}.${unknownField}`, `is not a schedule field (expected ${SCHEDULE_FIELDS.join(', ')})`);
  }
  const frequency = raw['frequency'];
  if (!(DRAW_FREQUENCIES as readonly unknown[]).includes(frequency)) {
    throw fail(`${path}.frequency`, `must be one of ${DRAW_FREQUENCIES.join(', ')}, got ${JSON.stringify(frequency) ?? 'nothing'}`, frequency);
  }
  const daysOfWeek = parseDaysOfWeek(raw['daysOfWeek'] ?? undefined, frequency === 'semanal', `${path}.daysOfWeek`, fail);
  return {
    frequency: frequency as DrawFrequency,
    times: parseTimes(raw['times'] ?? undefined, `${path}.times`, fail),
    ...(daysOfWeek === undefined ? {} : { daysOfWeek }),
    exceptDates: parseExceptDates(raw['exceptDates'] ?? undefined, `${path}.exceptDates`, fail),
  };
}

function parseTimes(raw: unknown, path: string, fail: Fail): string[] {
  if (raw === undefined) throw fail(path, 'is missing: expected a non-empty array of HH:MM');
  if (!Array.isArray(raw) || raw.length === 0) throw fail(path, 'must be a non-empty array of HH:MM', raw);
  raw.forEach((time, i) => {
    if (!accepts(parseHHMM, time)) throw fail(`${path}[${i}]`, `must be HH:MM from 00:00 to 23:59, got ${JSON.stringify(time)}`, time);
  });
  return [...new Set(raw as string[])];
}

function parseDaysOfWeek(raw: unknown, required: boolean, path: string, fail: Fail): number[] | undefined {
  if (raw === undefined) {
    if (required) throw fail(path, 'is required for frequency semanal: expected days 0 (Sunday) to 6');
    return undefined;
  }
  // An empty list would mean "no draws at all", which no operator means: refuse it.
  if (!Array.isArray(raw) || raw.length === 0) throw fail(path, 'must be a non-empty array of days 0 (Sunday) to 6', raw);
  raw.forEach((day, i) => {
    if (!Number.isInteger(day) || day < 0 || day > 6) {
      throw fail(`${path}[${i}]`, `must be an integer from 0 (Sunday) to 6, got ${JSON.stringify(day)}`, day);
    }
  });
  return [...new Set(raw as number[])].sort((a, b) => a - b);
}

function parseExceptDates(raw: unknown, path: string, fail: Fail): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw fail(path, `must be an array of dates YYYY-MM-DD, got ${typeName(raw)}`, raw);
  raw.forEach((date, i) => {
    if (!accepts(parseCRDate, date)) throw fail(`${path}[${i}]`, `must be an existing date YYYY-MM-DD, got ${JSON.stringify(date)}`, date);
  });
  return [...new Set(raw as string[])];
}

/** Whether a cr-time parser accepts the value; its own error is replaced by one naming the lottery field. */
function accepts(parse: (value: string) => unknown, value: unknown): boolean {
  try {
    parse(value as string);
    return true;
  } catch (error) {
    if (isDomainError(error)) return false;
    throw error;
  }
}

function failureFor(loteria: LoteriaRules): Fail {
  return (field, reason, value) =>
    new DomainError('LOTERIA.INVALID_DRAW_SCHEDULE', `invalid draw schedule of loteria "${loteria.name}" (${loteria.id}): ${field} ${reason}`, {
      loteriaId: loteria.id,
      field,
      ...(value === undefined ? {} : { value }),
    });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
