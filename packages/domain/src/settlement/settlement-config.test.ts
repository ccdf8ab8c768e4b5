import { expect } from 'chai';
import { expectDomainError } from '../kernel/domain-error.test-helpers';
import { DEFAULT_SETTLEMENT_CONFIG, applySettlementConfigUpdate, validateSettlementConfigUpdate } from './settlement-config';

const refusedField = (patch: unknown): unknown =>
  expectDomainError(() => validateSettlementConfigUpdate(patch), 'SETTLEMENT.INVALID_CONFIG').details?.field;

describe('settlement config', () => {
  it('defaults to disabled, 7 days, 1000 per batch, 21:00 CR (03:00 UTC)', () => {
    expect(DEFAULT_SETTLEMENT_CONFIG).to.deep.equal({ enabled: false, settlementAgeDays: 7, batchSize: 1000, cronSchedule: '0 3 * * *' });
  });

  it('accepts a partial update and normalises the cron rule', () => {
    expect(validateSettlementConfigUpdate({ enabled: true, cronSchedule: ' 0  4 * * * ' })).to.deep.equal({ enabled: true, cronSchedule: '0 4 * * *' });
    expect(validateSettlementConfigUpdate({ settlementAgeDays: 0, batchSize: 5000 })).to.deep.equal({ settlementAgeDays: 0, batchSize: 5000 });
    expect(validateSettlementConfigUpdate({})).to.deep.equal({});
  });

  it('refuses an invalid cron rule, or one that never fires, with SCHEDULE.INVALID_CRON naming cronSchedule', () => {
    for (const cronSchedule of ['61 3 * * *', 'every day', '0 0 30 2 *', '0 0 31 4 *']) {
      const error = expectDomainError(() => validateSettlementConfigUpdate({ enabled: true, cronSchedule }), 'SCHEDULE.INVALID_CRON');
      expect(error.details, cronSchedule).to.include({ field: 'cronSchedule' });
    }
  });

  const refused: Array<[string, unknown, string | undefined]> = [
    ['a negative age', { settlementAgeDays: -1 }, 'settlementAgeDays'],
    ['a fractional age', { settlementAgeDays: 1.5 }, 'settlementAgeDays'],
    ['an age as text', { settlementAgeDays: '7' }, 'settlementAgeDays'],
    ['an age over ten years', { settlementAgeDays: 3651 }, 'settlementAgeDays'],
    ['a zero batch', { batchSize: 0 }, 'batchSize'],
    ['a negative batch', { batchSize: -10 }, 'batchSize'],
    ['a fractional batch', { batchSize: 10.5 }, 'batchSize'],
    ['a NaN batch', { batchSize: Number.NaN }, 'batchSize'],
    ['enabled as text', { enabled: 'true' }, 'enabled'],
    ['a cron rule that is not text', { cronSchedule: 3 }, 'cronSchedule'],
    ['an unknown field', { batchSize: 10, settlement_age_days: 3 }, 'settlement_age_days'],
    ['an array', [], undefined],
    ['null', null, undefined],
  ];
  for (const [name, patch, field] of refused) {
    it(`refuses ${name} with SETTLEMENT.INVALID_CONFIG naming the field`, () => {
      expect(refusedField(patch)).to.equal(field);
    });
  }

  it('applies an update over the current configuration', () => {
    expect(applySettlementConfigUpdate(DEFAULT_SETTLEMENT_CONFIG, { enabled: true })).to.deep.equal({ ...DEFAULT_SETTLEMENT_CONFIG, enabled: true });
  });
});
