import { expect } from 'chai';
import { crDayRange, crLocalToInstant, toCRDateString } from './cr-time';

describe('cr-time smoke', () => {
  it('05:59Z is the previous CR day, 06:00Z the next', () => {
    expect(toCRDateString(new Date('2025-03-02T05:59:59.999Z'))).to.equal('2025-03-01');
    expect(toCRDateString(new Date('2025-03-02T06:00:00Z'))).to.equal('2025-03-02');
  });
  it('knows the 1991 DST', () => {
    expect(crDayRange('1991-06-01').start.toISOString()).to.equal('1991-06-01T05:00:00.000Z');
    expect(crLocalToInstant('2025-01-01', '12:55').toISOString()).to.equal('2025-01-01T18:55:00.000Z');
  });
});
