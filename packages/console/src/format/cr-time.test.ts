import { expect } from 'chai';
import { addDays, crDateOf, crDayStart, crOffsetLabel, describeInstant, formatCRDateTime, formatDuration, previousCRMonth } from './cr-time';

describe('Costa Rica times in the console', () => {
  it('shows an instant in CR time with the zone named', () => {
    expect(formatCRDateTime('2026-11-27T03:00:00.000Z')).to.equal('26 Nov 2026, 21:00 CR');
    expect(formatCRDateTime('2026-01-01T07:30:00.000Z')).to.equal('01 Jan 2026, 01:30 CR');
    expect(describeInstant('2026-11-27T03:00:00Z')).to.equal('26 Nov 2026, 21:00 CR (UTC−6) · 2026-11-27T03:00:00.000Z');
  });

  it('follows the zone database, not a fixed offset: CR summer time of 1991', () => {
    expect(crOffsetLabel(new Date('1991-06-01T12:00:00Z'))).to.equal('UTC−5');
    expect(describeInstant('1991-06-01T12:00:00Z')).to.equal('01 Jun 1991, 07:00 CR (UTC−5) · 1991-06-01T12:00:00.000Z');
  });

  it('finds the CR day of an instant and the instant a CR day starts', () => {
    expect(crDateOf(new Date('2026-11-28T05:59:59Z'))).to.equal('2026-11-27');
    expect(crDateOf(new Date('2026-11-28T06:00:00Z'))).to.equal('2026-11-28');
    expect(crDayStart('2026-11-28').toISOString()).to.equal('2026-11-28T06:00:00.000Z');
    expect(crDayStart('1991-06-01').toISOString()).to.equal('1991-06-01T05:00:00.000Z');
  });

  it('steps calendar days and finds the previous CR month', () => {
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(previousCRMonth(new Date('2026-01-01T05:59:59Z'))).to.equal('2025-11');
    expect(previousCRMonth(new Date('2026-01-01T06:00:00Z'))).to.equal('2025-12');
  });

  it('shows a time it cannot read as it came', () => {
    expect(formatCRDateTime('not a time')).to.equal('not a time');
  });

  it('says how long a run took', () => {
    expect(formatDuration(null)).to.equal('—');
    expect(formatDuration(850)).to.equal('850 ms');
    expect(formatDuration(1234)).to.equal('1.2 s');
    expect(formatDuration(65_000)).to.equal('1 min 5 s');
  });
});
