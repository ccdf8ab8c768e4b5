import { expect } from 'chai';
import fc from 'fast-check';
import { toCRZoned } from '../time/cr-time';
import { ALLOWANCE_FREQUENCIES, type AllowanceFrequency, allowanceOccurrence, dueRunsUpTo, nextAllowanceRun } from './allowance-occurrences';

const DAY = 86_400_000;
// 1985–2035 includes Costa Rica's 1991–1992 daylight saving time.
const anchorArb = fc.date({ min: new Date('1985-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });
const frequencyArb = fc.constantFrom(...ALLOWANCE_FREQUENCIES);
const offsetArb = fc.integer({ min: -40 * DAY, max: 2 * 365 * DAY });

/** The oracle: walk occurrence by occurrence. */
function bruteForceFirstAfter(anchor: Date, frequency: AllowanceFrequency, after: Date): Date {
  for (let k = 0; ; k += 1) {
    const occurrence = allowanceOccurrence(anchor, frequency, k);
    if (occurrence > after) return occurrence;
  }
}

describe('allowance occurrence properties', () => {
  it('occurrences strictly increase', () => {
    fc.assert(
      fc.property(anchorArb, frequencyArb, fc.integer({ min: 0, max: 600 }), (anchor, frequency, k) => {
        expect(allowanceOccurrence(anchor, frequency, k).getTime()).to.be.lessThan(allowanceOccurrence(anchor, frequency, k + 1).getTime());
      }),
    );
  });

  it('nextAllowanceRun(a, f, t) is the occurrence after t with none strictly between', () => {
    fc.assert(
      fc.property(anchorArb, frequencyArb, offsetArb, (anchor, frequency, offset) => {
        const t = new Date(anchor.getTime() + offset);
        expect(nextAllowanceRun(anchor, frequency, t).toISOString()).to.equal(bruteForceFirstAfter(anchor, frequency, t).toISOString());
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the anchor\'s CR local time of day, and its day of month clamped to the month', () => {
    fc.assert(
      fc.property(anchorArb, frequencyArb, fc.integer({ min: 0, max: 300 }), (anchor, frequency, k) => {
        const start = toCRZoned(anchor).toLocalDateTime();
        const local = toCRZoned(allowanceOccurrence(anchor, frequency, k)).toLocalDateTime();
        // Only a local time skipped by a DST change may differ, and then by moving forward.
        if (local.toLocalTime().equals(start.toLocalTime()) === false) expect(local.toLocalTime().isAfter(start.toLocalTime())).to.equal(true);
        if (frequency === 'MONTHLY') expect(local.dayOfMonth()).to.equal(Math.min(start.dayOfMonth(), local.toLocalDate().lengthOfMonth()));
      }),
    );
  });

  it('due runs under "all" are exactly the occurrences in [nextRunAt, now]; "latest" is the last of them', () => {
    fc.assert(
      fc.property(anchorArb, frequencyArb, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 60 * DAY }), (anchor, frequency, k, lag) => {
        const from = allowanceOccurrence(anchor, frequency, k);
        const now = new Date(from.getTime() + lag);
        const expected: string[] = [];
        for (let i = k; allowanceOccurrence(anchor, frequency, i) <= now; i += 1) expected.push(allowanceOccurrence(anchor, frequency, i).toISOString());
        expect(dueRunsUpTo(anchor, frequency, from, now, 'all').map((d) => d.toISOString())).to.deep.equal(expected);
        expect(dueRunsUpTo(anchor, frequency, from, now, 'latest').map((d) => d.toISOString())).to.deep.equal(expected.slice(-1));
      }),
      { numRuns: 150 },
    );
  });
});
