import { expect } from 'chai';
import fc from 'fast-check';
import {
  addCRDays,
  crDayRange,
  crLocalToInstant,
  crMonthRange,
  postgresDateToCRString,
  previousCRMonth,
  toCRDateString,
} from './cr-time';
import { expectDomainError } from '../kernel/domain-error.test-helpers';

const at = (iso: string) => new Date(iso);

describe('toCRDateString', () => {
  it('puts 05:59Z on the previous CR day and 06:00Z on the next', () => {
    expect(toCRDateString(at('2025-03-02T05:59:59.999Z'))).to.equal('2025-03-01');
    expect(toCRDateString(at('2025-03-02T06:00:00.000Z'))).to.equal('2025-03-02');
  });

  it('rolls the year over at 06:00Z on January 1st', () => {
    expect(toCRDateString(at('2026-01-01T05:59:59Z'))).to.equal('2025-12-31');
    expect(toCRDateString(at('2026-01-01T06:00:00Z'))).to.equal('2026-01-01');
  });

  it('follows the 1991–1992 daylight saving time of the tz database', () => {
    expect(toCRDateString(at('1991-06-01T04:59:59Z'))).to.equal('1991-05-31');
    expect(toCRDateString(at('1991-06-01T05:00:00Z'))).to.equal('1991-06-01');
    expect(toCRDateString(at('1992-03-15T05:30:00Z'))).to.equal('1992-03-14');
  });

  it('refuses an invalid Date', () => {
    expectDomainError(() => toCRDateString(new Date('nope')), 'TIME.INVALID_INSTANT');
  });
});

describe('crDayRange', () => {
  it('is [06:00Z, next 06:00Z) on an ordinary day', () => {
    const { start, end } = crDayRange('2025-07-15');
    expect(start.toISOString()).to.equal('2025-07-15T06:00:00.000Z');
    expect(end.toISOString()).to.equal('2025-07-16T06:00:00.000Z');
  });

  it('is 23 hours long on the day DST began in 1991 and 25 on the day it ended', () => {
    const began = crDayRange('1991-01-19');
    expect(began.start.toISOString()).to.equal('1991-01-19T06:00:00.000Z');
    expect(began.end.getTime() - began.start.getTime()).to.equal(23 * 3_600_000);
    const lastDstDay = crDayRange('1991-06-30');
    expect(lastDstDay.start.toISOString()).to.equal('1991-06-30T05:00:00.000Z');
    expect(lastDstDay.end.toISOString()).to.equal('1991-07-01T06:00:00.000Z');
    expect(lastDstDay.end.getTime() - lastDstDay.start.getTime()).to.equal(25 * 3_600_000);
  });

  it('refuses dates that do not exist', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-01-01T00:00', '', ' 2025-01-01', '0000-01-01', '0000-12-31']) {
      expectDomainError(() => crDayRange(bad), 'TIME.INVALID_DATE');
    }
    expect(addCRDays('0001-01-01', 0)).to.equal('0001-01-01');
  });
});

describe('crLocalToInstant', () => {
  it('turns a CR wall time into its instant', () => {
    expect(crLocalToInstant('2025-01-01', '12:55').toISOString()).to.equal('2025-01-01T18:55:00.000Z');
    expect(crLocalToInstant('2025-01-01', '23:59').toISOString()).to.equal('2025-01-02T05:59:00.000Z');
    expect(crLocalToInstant('2025-01-01', '00:00').toISOString()).to.equal('2025-01-01T06:00:00.000Z');
  });

  it('moves a time in the 1991 DST gap forward, as the clocks did', () => {
    expect(crLocalToInstant('1991-01-19', '00:30').toISOString()).to.equal('1991-01-19T06:30:00.000Z');
  });

  it('refuses malformed times', () => {
    for (const bad of ['24:00', '7:30', '12:60', '12:5', 'noon']) expectDomainError(() => crLocalToInstant('2025-01-01', bad), 'TIME.INVALID_TIME');
  });
});

describe('addCRDays', () => {
  it('crosses month, leap-February and year ends', () => {
    expect(addCRDays('2024-02-28', 1)).to.equal('2024-02-29');
    expect(addCRDays('2025-02-28', 1)).to.equal('2025-03-01');
    expect(addCRDays('2025-12-31', 1)).to.equal('2026-01-01');
    expect(addCRDays('2026-01-07', -7)).to.equal('2025-12-31');
  });

  it('refuses a fractional number of days', () => {
    expectDomainError(() => addCRDays('2025-01-01', 1.5), 'TIME.INVALID_DATE');
  });

  it('is undone by the opposite move (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: -5000, max: 5000 }), (instant, days) => {
        const day = toCRDateString(instant);
        expect(addCRDays(addCRDays(day, days), -days)).to.equal(day);
      }),
    );
  });
});

describe('previousCRMonth', () => {
  it('uses the CR month of the instant, not the UTC one', () => {
    expect(previousCRMonth(at('2025-03-01T05:59:00Z'))).to.equal('2025-01');
    expect(previousCRMonth(at('2025-03-01T06:00:00Z'))).to.equal('2025-02');
  });

  it('rolls back over the year', () => {
    expect(previousCRMonth(at('2026-01-01T08:00:00Z'))).to.equal('2025-12');
  });
});

describe('crMonthRange', () => {
  it('spans a leap February in CR time', () => {
    expect(crMonthRange('2024-02')).to.deep.equal({
      start: at('2024-02-01T06:00:00Z'),
      end: at('2024-03-01T06:00:00Z'),
      firstDay: '2024-02-01',
      lastDay: '2024-02-29',
    });
    expect(crMonthRange('2025-02').lastDay).to.equal('2025-02-28');
  });

  it('spans December into the next year', () => {
    const { end, lastDay } = crMonthRange('2025-12');
    expect(end.toISOString()).to.equal('2026-01-01T06:00:00.000Z');
    expect(lastDay).to.equal('2025-12-31');
  });

  it('refuses invalid months', () => {
    for (const bad of ['2025-13', '2025-00', '2025-1', '202501', '2025-01-01', '', '0000-01', '0000-12']) expectDomainError(() => crMonthRange(bad), 'TIME.INVALID_MONTH');
    expect(crMonthRange('0001-01').firstDay).to.equal('0001-01-01');
  });
});

describe('postgresDateToCRString', () => {
  it('keeps a date string as it is', () => {
    expect(postgresDateToCRString('2025-01-31')).to.equal('2025-01-31');
  });

  it('reads a Date by its UTC calendar fields', () => {
    expect(postgresDateToCRString(at('2025-01-31T00:00:00Z'))).to.equal('2025-01-31');
  });

  it('refuses what is not a date', () => {
    expectDomainError(() => postgresDateToCRString('31/01/2025'), 'TIME.INVALID_DATE');
    expectDomainError(() => postgresDateToCRString(new Date(NaN)), 'TIME.INVALID_DATE');
  });
});
