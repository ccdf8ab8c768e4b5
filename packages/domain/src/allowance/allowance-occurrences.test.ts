import { expect } from 'chai';
import { toCRZoned } from '../time/cr-time';
import {
  allowanceOccurrence,
  dueRunsUpTo,
  firstOccurrenceAtOrAfter,
  isAllowanceOccurrence,
  nextAllowanceRun,
} from './allowance-occurrences';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const at = (text: string): Date => new Date(text);
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('allowanceOccurrence', () => {
  // 08:00 in Costa Rica on January 31st.
  const jan31 = at('2025-01-31T14:00:00Z');

  it('clamps a monthly 31st to each short month without drifting: Jan 31 → Feb 28 → Mar 31 → Apr 30', () => {
    expect(iso([0, 1, 2, 3, 12].map((k) => allowanceOccurrence(jan31, 'MONTHLY', k)))).to.deep.equal([
      '2025-01-31T14:00:00.000Z',
      '2025-02-28T14:00:00.000Z',
      '2025-03-31T14:00:00.000Z',
      '2025-04-30T14:00:00.000Z',
      '2026-01-31T14:00:00.000Z',
    ]);
  });

  it('clamps to Feb 29 in a leap year', () => {
    const leap = at('2024-01-31T14:00:00Z');
    expect(iso([1, 2].map((k) => allowanceOccurrence(leap, 'MONTHLY', k)))).to.deep.equal(['2024-02-29T14:00:00.000Z', '2024-03-31T14:00:00.000Z']);
  });

  it('counts months in the CR calendar, not the UTC one', () => {
    // 23:30 on Jan 31 in Costa Rica is already Feb 1 in UTC.
    const lateEvening = at('2025-02-01T05:30:00Z');
    expect(allowanceOccurrence(lateEvening, 'MONTHLY', 1).toISOString()).to.equal('2025-03-01T05:30:00.000Z');
    expect(toCRZoned(allowanceOccurrence(lateEvening, 'MONTHLY', 1)).toLocalDateTime().toString()).to.equal('2025-02-28T23:30');
  });

  it('moves daily across a month end and weekly across a year end in CR local time', () => {
    expect(allowanceOccurrence(at('2025-01-31T04:00:00Z'), 'DAILY', 2).toISOString()).to.equal('2025-02-02T04:00:00.000Z');
    // Saturday Dec 27, 20:00 CR → Saturday Jan 3, 20:00 CR.
    expect(allowanceOccurrence(at('2025-12-28T02:00:00Z'), 'WEEKLY', 1).toISOString()).to.equal('2026-01-04T02:00:00.000Z');
    expect(allowanceOccurrence(at('2024-12-31T17:59:59.999Z'), 'DAILY', 1).toISOString()).to.equal('2025-01-01T17:59:59.999Z');
  });

  it('keeps the CR local time of day through the 1991 daylight saving time', () => {
    const anchor = at('1991-01-10T14:00:00Z');
    expect(iso([8, 9].map((k) => allowanceOccurrence(anchor, 'DAILY', k)))).to.deep.equal(['1991-01-18T14:00:00.000Z', '1991-01-19T13:00:00.000Z']);
    for (let k = 0; k < 400; k += 1) {
      expect(toCRZoned(allowanceOccurrence(anchor, 'DAILY', k)).toLocalTime().toString()).to.equal('08:00');
    }
  });

  it('refuses a bad index, frequency or anchor', () => {
    expect(codeOf(() => allowanceOccurrence(jan31, 'MONTHLY', -1))).to.equal('VALIDATION.INVALID_INPUT');
    expect(codeOf(() => allowanceOccurrence(jan31, 'MONTHLY', 1.5))).to.equal('VALIDATION.INVALID_INPUT');
    expect(codeOf(() => allowanceOccurrence(jan31, 'YEARLY' as never, 1))).to.equal('ALLOWANCE.INVALID_FREQUENCY');
    expect(codeOf(() => allowanceOccurrence(new Date(Number.NaN), 'DAILY', 1))).to.equal('TIME.INVALID_INSTANT');
    expect(codeOf(() => allowanceOccurrence(jan31, 'DAILY', 1e12))).to.equal('TIME.INVALID_INSTANT');
  });
});

describe('nextAllowanceRun and friends', () => {
  const anchor = at('2025-01-31T14:00:00Z');

  it('is occurrence 0 before the anchor and the following one at it', () => {
    expect(nextAllowanceRun(anchor, 'DAILY', at('2020-01-01T00:00:00Z')).toISOString()).to.equal('2025-01-31T14:00:00.000Z');
    expect(nextAllowanceRun(anchor, 'DAILY', anchor).toISOString()).to.equal('2025-02-01T14:00:00.000Z');
    expect(nextAllowanceRun(anchor, 'MONTHLY', at('2025-02-28T13:59:59.999Z')).toISOString()).to.equal('2025-02-28T14:00:00.000Z');
    expect(nextAllowanceRun(anchor, 'MONTHLY', at('2025-02-28T14:00:00Z')).toISOString()).to.equal('2025-03-31T14:00:00.000Z');
  });

  it('finds a run decades away directly', () => {
    const old = at('1970-01-05T14:00:00Z');
    expect(nextAllowanceRun(old, 'DAILY', at('2100-06-01T00:00:00Z')).toISOString()).to.equal('2100-06-01T14:00:00.000Z');
    expect(nextAllowanceRun(old, 'WEEKLY', at('2100-06-01T00:00:00Z')).toISOString()).to.equal('2100-06-07T14:00:00.000Z');
  });

  it('resumes at an occurrence at or after t, never one before', () => {
    expect(firstOccurrenceAtOrAfter(anchor, 'WEEKLY', at('2025-02-07T14:00:00Z')).toISOString()).to.equal('2025-02-07T14:00:00.000Z');
    expect(firstOccurrenceAtOrAfter(anchor, 'WEEKLY', at('2025-02-07T14:00:00.001Z')).toISOString()).to.equal('2025-02-14T14:00:00.000Z');
  });

  it('tells occurrences from other instants', () => {
    expect(isAllowanceOccurrence(anchor, 'MONTHLY', at('2025-04-30T14:00:00Z'))).to.equal(true);
    expect(isAllowanceOccurrence(anchor, 'MONTHLY', at('2025-04-30T14:00:00.001Z'))).to.equal(false);
    expect(isAllowanceOccurrence(anchor, 'MONTHLY', at('2025-04-29T14:00:00Z'))).to.equal(false);
    expect(isAllowanceOccurrence(anchor, 'DAILY', at('2025-01-30T14:00:00Z'))).to.equal(false);
  });
});

describe('dueRunsUpTo', () => {
  const anchor = at('2025-03-01T14:00:00Z');
  const now = at('2025-03-04T15:00:00Z');

  it('returns every missed run once under "all" and only the latest under "latest"', () => {
    expect(iso(dueRunsUpTo(anchor, 'DAILY', anchor, now, 'all'))).to.deep.equal([
      '2025-03-01T14:00:00.000Z',
      '2025-03-02T14:00:00.000Z',
      '2025-03-03T14:00:00.000Z',
      '2025-03-04T14:00:00.000Z',
    ]);
    expect(iso(dueRunsUpTo(anchor, 'DAILY', anchor, now, 'latest'))).to.deep.equal(['2025-03-04T14:00:00.000Z']);
  });

  it('starts at next_run_at, includes a run at now, and caps "all" at the limit, oldest first', () => {
    const from = at('2025-03-02T14:00:00Z');
    expect(iso(dueRunsUpTo(anchor, 'DAILY', from, at('2025-03-04T14:00:00Z'), 'all', 2))).to.deep.equal(['2025-03-02T14:00:00.000Z', '2025-03-03T14:00:00.000Z']);
  });

  it('returns nothing when next_run_at is still ahead', () => {
    expect(dueRunsUpTo(anchor, 'DAILY', at('2025-03-05T14:00:00Z'), now, 'all')).to.deep.equal([]);
    expect(dueRunsUpTo(anchor, 'DAILY', at('2025-03-05T14:00:00Z'), now, 'latest')).to.deep.equal([]);
  });

  it('refuses an unknown policy or a bad limit', () => {
    expect(codeOf(() => dueRunsUpTo(anchor, 'DAILY', anchor, now, 'some' as never))).to.equal('VALIDATION.INVALID_INPUT');
    expect(codeOf(() => dueRunsUpTo(anchor, 'DAILY', anchor, now, 'all', 0))).to.equal('VALIDATION.INVALID_INPUT');
  });
});
