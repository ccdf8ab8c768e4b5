import { expect } from 'chai';
import { DomainError } from '../kernel/domain-error';
import { latestStartAt, parseCreateAllowanceInput, parseUpdateAllowanceInput, toAllowanceScheduleView } from './allowance-schedule';

const NOW = new Date('2025-03-01T14:00:00Z');
const valid = { amount: '1500.00', frequency: 'WEEKLY', status: 'ON' };

function refusal(fn: () => unknown): { code: string; field: unknown } {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details?.['field'] };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseCreateAllowanceInput', () => {
  it('accepts a valid body, normalising the amount and reading startAt with its offset', () => {
    expect(parseCreateAllowanceInput({ ...valid, amount: 25.5 }, NOW)).to.deep.equal({ amount: '25.50', frequency: 'WEEKLY', status: 'ON', startAt: null });
    const input = parseCreateAllowanceInput({ ...valid, startAt: '2025-03-02T08:00:00-06:00' }, NOW);
    expect(input.startAt?.toISOString()).to.equal('2025-03-02T14:00:00.000Z');
    expect(parseCreateAllowanceInput({ ...valid, startAt: NOW.toISOString() }, NOW).startAt?.getTime()).to.equal(NOW.getTime());
  });

  it('accepts a startAt up to the same CR wall time one year ahead', () => {
    expect(latestStartAt(NOW).toISOString()).to.equal('2026-03-01T14:00:00.000Z');
    expect(parseCreateAllowanceInput({ ...valid, startAt: '2026-03-01T08:00:00-06:00' }, NOW).startAt?.toISOString()).to.equal('2026-03-01T14:00:00.000Z');
    // From Feb 29 a year on is Feb 28, as the CR calendar has it.
    expect(latestStartAt(new Date('2028-02-29T15:00:00Z')).toISOString()).to.equal('2029-02-28T15:00:00.000Z');
  });

  const matrix: Array<[string, unknown, string, string | undefined]> = [
    ['not an object: null', null, 'VALIDATION.INVALID_INPUT', undefined],
    ['not an object: an array', [valid], 'VALIDATION.INVALID_INPUT', undefined],
    ['not an object: a string', 'amount=5', 'VALIDATION.INVALID_INPUT', undefined],
    ['missing amount', { frequency: 'DAILY', status: 'ON' }, 'VALIDATION.INVALID_INPUT', 'amount'],
    ['missing frequency', { amount: '5', status: 'ON' }, 'VALIDATION.INVALID_INPUT', 'frequency'],
    ['missing status', { amount: '5', frequency: 'DAILY' }, 'VALIDATION.INVALID_INPUT', 'status'],
    ['an extra field', { ...valid, juniorId: 'x' }, 'VALIDATION.INVALID_INPUT', 'juniorId'],
    ['a misspelt field', { ...valid, startsAt: '2025-03-02T08:00:00-06:00' }, 'VALIDATION.INVALID_INPUT', 'startsAt'],
    ['amount zero', { ...valid, amount: '0.00' }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount negative', { ...valid, amount: -5 }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount with three decimals', { ...valid, amount: '1.005' }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount over 99999999.99', { ...valid, amount: '100000000.00' }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount with an exponent', { ...valid, amount: '1e3' }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount not numeric', { ...valid, amount: 'ten' }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount null', { ...valid, amount: null }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['amount NaN', { ...valid, amount: Number.NaN }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['unknown frequency', { ...valid, frequency: 'YEARLY' }, 'ALLOWANCE.INVALID_FREQUENCY', 'frequency'],
    ['lower-case frequency', { ...valid, frequency: 'daily' }, 'ALLOWANCE.INVALID_FREQUENCY', 'frequency'],
    ['unknown status', { ...valid, status: 'PAUSED' }, 'ALLOWANCE.INVALID_STATUS', 'status'],
    ['status as a boolean', { ...valid, status: true }, 'ALLOWANCE.INVALID_STATUS', 'status'],
    ['startAt without an offset', { ...valid, startAt: '2025-03-02T08:00:00' }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt as a date only', { ...valid, startAt: '2025-03-02' }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt on a day that does not exist', { ...valid, startAt: '2025-02-30T08:00:00Z' }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt as epoch milliseconds', { ...valid, startAt: 1772000000000 }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt with more than millisecond precision', { ...valid, startAt: '2025-03-02T08:00:00.0001Z' }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt in the year 0000', { ...valid, startAt: '0000-03-01T14:00:00Z' }, 'TIME.INVALID_INSTANT', 'startAt'],
    ['startAt in the past', { ...valid, startAt: '2025-03-01T13:59:59.999Z' }, 'ALLOWANCE.START_IN_PAST', 'startAt'],
    ['startAt a year and a millisecond ahead', { ...valid, startAt: '2026-03-01T14:00:00.001Z' }, 'ALLOWANCE.START_TOO_FAR', 'startAt'],
    ['startAt in the year 9999', { ...valid, startAt: '9999-12-31T23:59:59Z' }, 'ALLOWANCE.START_TOO_FAR', 'startAt'],
  ];
  for (const [name, body, code, field] of matrix) {
    it(`refuses ${name} with ${code}`, () => {
      expect(refusal(() => parseCreateAllowanceInput(body, NOW))).to.deep.equal({ code, field });
    });
  }
});

describe('parseUpdateAllowanceInput', () => {
  it('accepts any non-empty subset of amount, frequency, status', () => {
    expect(parseUpdateAllowanceInput({ status: 'OFF' })).to.deep.equal({ status: 'OFF' });
    expect(parseUpdateAllowanceInput({ amount: '7', frequency: 'MONTHLY' })).to.deep.equal({ amount: '7.00', frequency: 'MONTHLY' });
  });

  const matrix: Array<[string, unknown, string, string | undefined]> = [
    ['an empty update', {}, 'VALIDATION.INVALID_INPUT', undefined],
    ['not an object', 42, 'VALIDATION.INVALID_INPUT', undefined],
    ['startAt (not updatable)', { startAt: '2025-03-02T08:00:00Z' }, 'VALIDATION.INVALID_INPUT', 'startAt'],
    ['an unknown field', { status: 'ON', guardianId: 'g' }, 'VALIDATION.INVALID_INPUT', 'guardianId'],
    ['a zero amount', { amount: 0 }, 'MONEY.INVALID_AMOUNT', 'amount'],
    ['an unknown frequency', { frequency: 'HOURLY' }, 'ALLOWANCE.INVALID_FREQUENCY', 'frequency'],
    ['an unknown status', { status: 'on' }, 'ALLOWANCE.INVALID_STATUS', 'status'],
  ];
  for (const [name, body, code, field] of matrix) {
    it(`refuses ${name} with ${code}`, () => {
      expect(refusal(() => parseUpdateAllowanceInput(body))).to.deep.equal({ code, field });
    });
  }
});

describe('toAllowanceScheduleView', () => {
  it('shows the API fields with ISO instants, the last run given up and why, and hides anchor and lease internals', () => {
    const view = toAllowanceScheduleView({
      id: 's1', guardianId: 'g1', juniorId: 'j1', amount: '10.00', frequency: 'DAILY', status: 'ON',
      anchorAt: NOW, nextRunAt: NOW, lastRunAt: null, leasedThrough: null, leaseUntil: NOW, lastFailedRunAt: NOW,
      lastFailureReason: 'ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 10.00', createdAt: NOW, updatedAt: NOW,
    });
    expect(Object.keys(view)).to.have.members([
      'id', 'guardianId', 'juniorId', 'amount', 'frequency', 'status', 'nextRunAt', 'lastRunAt', 'lastFailedRunAt', 'lastFailureReason', 'createdAt', 'updatedAt',
    ]);
    expect(view.nextRunAt).to.equal('2025-03-01T14:00:00.000Z');
    expect(view).to.include({ lastFailedRunAt: '2025-03-01T14:00:00.000Z', lastFailureReason: 'ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 10.00' });
  });
});
