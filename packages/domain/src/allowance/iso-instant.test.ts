import { expect } from 'chai';
import fc from 'fast-check';
import { DateTimeFormatter, OffsetDateTime } from '@js-joda/core';
import { isDomainError } from '../kernel/domain-error';
import { parseIsoInstant } from './iso-instant';

const refusal = (value: unknown): string | null => {
  try {
    parseIsoInstant(value, 'runAt');
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : 'thrown';
  }
};

describe('parseIsoInstant', () => {
  it('reads what toISOString writes as the same instant, as the calendar parser does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const text = date.toISOString();
        const calendar = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        expect(parseIsoInstant(text, 'runAt').getTime()).to.equal(date.getTime()).and.to.equal(calendar);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses dates and times that do not exist, written the toISOString way or another', () => {
    for (const text of [
      '2025-02-29T00:00:00.000Z',
      '2024-02-30T00:00:00.000Z',
      '2025-04-31T12:00:00.000Z',
      '2025-01-01T24:00:00.000Z',
      '2025-01-01T23:60:00.000Z',
      '2025-01-01T23:59:60.000Z',
      '0000-01-01T00:00:00.000Z',
      '2025-13-01T00:00:00.000Z',
      '2025-02-29T00:00:00-06:00',
      '2025-03-01T08:00:00+25:00',
    ]) {
      expect(refusal(text), text).to.equal('TIME.INVALID_INSTANT');
    }
  });

  it('reads an instant with any offset and precision up to milliseconds', () => {
    expect(parseIsoInstant('2024-02-29T08:00:00-06:00', 'runAt').toISOString()).to.equal('2024-02-29T14:00:00.000Z');
    expect(parseIsoInstant('2025-03-01T14:00Z', 'runAt').toISOString()).to.equal('2025-03-01T14:00:00.000Z');
    expect(parseIsoInstant('2025-03-01T14:00:00.5Z', 'runAt').toISOString()).to.equal('2025-03-01T14:00:00.500Z');
    expect(refusal('2025-03-01T14:00:00.0001Z')).to.equal('TIME.INVALID_INSTANT');
    expect(refusal('2025-03-01T14:00:00.000')).to.equal('TIME.INVALID_INSTANT');
  });
});
