import { expect } from 'chai';
import fc from 'fast-check';
import { JOBS } from './jobs';
import { assertValidCron, nextCronRun, parseCron, previousCronRun } from './cron';
import { expectDomainError } from '../kernel/domain-error.test-helpers';

describe('parseCron', () => {
  it('accepts the rules of the job table', () => {
    for (const rule of ['0 7 * * *', '30 7 * * *', '0 4 * * *', '0 3 * * *', '0 8 1 * *', '0 2 * * *', '*/5 * * * *']) {
      expect(assertValidCron(rule)).to.equal(rule);
    }
  });

  it('understands lists, ranges, steps and Sunday as 7', () => {
    const rule = parseCron('0,30 9-17/2 * * 1-5,7');
    expect([...rule.minutes]).to.deep.equal([0, 30]);
    expect([...rule.hours]).to.deep.equal([9, 11, 13, 15, 17]);
    expect([...rule.daysOfWeek].sort()).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });

  it('refuses malformed rules naming the problem', () => {
    const cases: Array<[string, string]> = [
      ['', 'expected 5 fields'],
      ['* * * *', 'expected 5 fields'],
      ['0 3 * * * *', 'expected 5 fields'],
      ['60 3 * * *', 'minute'],
      ['0 24 * * *', 'hour'],
      ['0 3 0 * *', 'day of month'],
      ['0 3 * 13 *', 'month'],
      ['0 3 * * 8', 'day of week'],
      ['*/0 * * * *', 'step'],
      ['5-1 * * * *', 'minute'],
      ['a b c d e', 'minute'],
      ['@daily', 'expected 5 fields'],
    ];
    for (const [rule, reason] of cases) {
      const error = expectDomainError(() => parseCron(rule), 'SCHEDULE.INVALID_CRON');
      expect(error.message, rule).to.contain(reason);
    }
  });

  it('refuses a rule whose days of month fall in none of its months, whatever its day of week', () => {
    for (const rule of ['0 0 30 2 *', '0 0 31 4 *', '0 0 31 2,4,6,9,11 *', '0 0 30-31 2 *', '0 0 30 2 1']) {
      const error = expectDomainError(() => parseCron(rule), 'SCHEDULE.INVALID_CRON');
      expect(error.message, rule).to.contain('never fires');
    }
    for (const rule of ['0 0 29 2 *', '0 0 30 1-2 *', '0 0 31 4,5 *', '0 0 1,30 2 *', '0 0 */10 2 *']) expect(assertValidCron(rule)).to.equal(rule);
  });
});

describe('nextCronRun', () => {
  it('finds the next UTC slot strictly after an instant', () => {
    expect(nextCronRun('0 3 * * *', new Date('2025-01-01T02:59:00Z')).toISOString()).to.equal('2025-01-01T03:00:00.000Z');
    expect(nextCronRun('0 3 * * *', new Date('2025-01-01T03:00:00Z')).toISOString()).to.equal('2025-01-02T03:00:00.000Z');
    expect(nextCronRun('*/5 * * * *', new Date('2025-01-01T10:07:30Z')).toISOString()).to.equal('2025-01-01T10:10:00.000Z');
  });

  it('runs monthly closing on the 1st at 08:00Z, across the year end', () => {
    expect(nextCronRun('0 8 1 * *', new Date('2025-12-01T08:00:00Z')).toISOString()).to.equal('2026-01-01T08:00:00.000Z');
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 13th of the month or any Friday: 2025-06-06 is a Friday before the 13th.
    expect(nextCronRun('0 0 13 * 5', new Date('2025-06-01T00:00:00Z')).toISOString()).to.equal('2025-06-06T00:00:00.000Z');
  });

  it('finds a leap day years away', () => {
    expect(nextCronRun('0 0 29 2 *', new Date('2025-03-01T00:00:00Z')).toISOString()).to.equal('2028-02-29T00:00:00.000Z');
  });

  it('says so when a rule can never fire', () => {
    expectDomainError(() => nextCronRun('0 0 31 2 *', new Date('2025-01-01T00:00:00Z')), 'SCHEDULE.INVALID_CRON');
  });
});

describe('previousCronRun', () => {
  it('gives the slot at or before an instant, to the minute', () => {
    expect(previousCronRun('0 3 * * *', new Date('2025-03-04T03:00:59.999Z')).toISOString()).to.equal('2025-03-04T03:00:00.000Z');
    expect(previousCronRun('0 3 * * *', new Date('2025-03-04T02:59:59.999Z')).toISOString()).to.equal('2025-03-03T03:00:00.000Z');
    expect(previousCronRun('0 8 1 * *', new Date('2025-03-01T07:59:00.000Z')).toISOString()).to.equal('2025-02-01T08:00:00.000Z');
    expect(previousCronRun('*/5 * * * *', new Date('2025-01-01T00:04:00.000Z')).toISOString()).to.equal('2025-01-01T00:00:00.000Z');
    expect(previousCronRun('0 0 29 2 *', new Date('2027-03-01T00:00:00.000Z')).toISOString()).to.equal('2024-02-29T00:00:00.000Z');
  });

  it('is the slot no other slot follows before the instant, for every job rule and more', () => {
    const rules = [...Object.values(JOBS).map((job) => job.cron), '15 */6 * * 1-5', '0 12 13 * 5', '30 23 31 * *'];
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (rule, millis) => {
        const at = new Date(millis);
        const previous = previousCronRun(rule, at);
        expect(previous.getTime()).to.be.at.most(at.getTime());
        const minute = at.getTime() - (at.getTime() % 60_000);
        expect(nextCronRun(rule, previous).getTime(), 'no slot between it and the instant').to.be.greaterThan(minute);
      }),
    );
  });
});
