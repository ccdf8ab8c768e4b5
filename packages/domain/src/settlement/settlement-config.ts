import { assertValidCron } from '../jobs/cron';
import { DomainError, withField } from '../kernel/domain-error';

/** The one row of `account_statement_settlement_config` (docs/architecture.md, The banca rules). */
export interface SettlementConfig {
  enabled: boolean;
  settlementAgeDays: number;
  /** As stored; a run clamps it with effectiveBatchSize. */
  batchSize: number;
  /** A UTC cron rule, validated when saved. */
  cronSchedule: string;
}

export type SettlementConfigPatch = Partial<SettlementConfig>;

export const DEFAULT_SETTLEMENT_CONFIG: Readonly<SettlementConfig> = Object.freeze({
  enabled: false,
  settlementAgeDays: 7,
  batchSize: 1000,
  cronSchedule: '0 3 * * *',
});

/** Ten years: an age beyond it is a typo, not a policy. */
export const MAX_SETTLEMENT_AGE_DAYS = 3650;

const FIELDS: ReadonlyArray<keyof SettlementConfig> = ['enabled', 'settlementAgeDays', 'batchSize', 'cronSchedule'];

/**
 * Checks an update before it is saved and returns it normalised (the cron rule with single spaces).
 * Refuses with SETTLEMENT.INVALID_CONFIG naming the field (unknown field, wrong type, age outside
 * 0..3650 days, batch size not a positive integer) or SCHEDULE.INVALID_CRON naming cronSchedule for
 * a rule that does not parse or never fires.
 * A batch size over 2000 is accepted and clamped when a run uses it.
 */
export function validateSettlementConfigUpdate(patch: unknown): SettlementConfigPatch {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw invalidConfig(undefined, patch, 'expected an object with enabled, settlementAgeDays, batchSize or cronSchedule');
  }
  const input = patch as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) throw invalidConfig(unknown[0]!, input[unknown[0]!], `unknown field; expected one of ${FIELDS.join(', ')}`);

  const result: SettlementConfigPatch = {};
  if ('enabled' in input) {
    if (typeof input.enabled !== 'boolean') throw invalidConfig('enabled', input.enabled, 'expected true or false');
    result.enabled = input.enabled;
  }
  if ('settlementAgeDays' in input) {
    const age = input.settlementAgeDays;
    if (!isInteger(age) || age < 0 || age > MAX_SETTLEMENT_AGE_DAYS) {
      throw invalidConfig('settlementAgeDays', age, `expected an integer from 0 to ${MAX_SETTLEMENT_AGE_DAYS}`);
    }
    result.settlementAgeDays = age;
  }
  if ('batchSize' in input) {
    const size = input.batchSize;
    if (!isInteger(size) || size < 1) throw invalidConfig('batchSize', size, 'expected a positive integer');
    result.batchSize = size;
  }
  if ('cronSchedule' in input) {
    if (typeof input.cronSchedule !== 'string') throw invalidConfig('cronSchedule', input.cronSchedule, 'expected a cron rule');
    const cron = input.cronSchedule;
    result.cronSchedule = withField('cronSchedule', () => assertValidCron(cron));
  }
  return result;
}

/** The configuration after an already validated update. */
export function applySettlementConfigUpdate(current: SettlementConfig, patch: SettlementConfigPatch): SettlementConfig {
  const next = { ...current };
  for (const field of FIELDS) {
    if (patch[field] !== undefined) (next as Record<string, unknown>)[field] = patch[field];
  }
  return next;
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

function invalidConfig(field: string | undefined, value: unknown, reason: string): DomainError {
  const where = field === undefined ? 'settlement config' : `settlement config field ${field}`;
  return new DomainError('SETTLEMENT.INVALID_CONFIG', `invalid ${where}: ${reason}`, {
    ...(field === undefined ? {} : { field }),
    value: describe(value),
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'array' : 'object';
}
