import { expect } from 'chai';
import fc from 'fast-check';
import { addCRDays, crDayRange, toCRDateString, toCRZoned } from '../time/cr-time';
import { expandDrawSchedule } from './draw-schedule';

const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`);
const days = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 });

/** A valid schedule plus a window of up to ten days, from 1990 so the 1991–1992 CR clock changes are covered. */
const scenario = fc
  .record({
    times: fc.array(hhmm, { minLength: 1, maxLength: 6 }),
    daysOfWeek: fc.option(days, { nil: undefined }),
    semanal: fc.boolean(),
    exceptOffsets: fc.array(fc.integer({ min: -1, max: 11 }), { maxLength: 4 }),
    from: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
    span: fc.integer({ min: 0, max: 240 * HOUR }),
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ times, daysOfWeek, semanal, exceptOffsets, from, span, cut }) => {
    const exceptDates = exceptOffsets.map((k) => addCRDays(toCRDateString(from), k));
    const frequency = daysOfWeek === undefined ? 'diario' : semanal ? 'semanal' : 'personalizado';
    const to = new Date(from.getTime() + span);
    return {
      loteria: { id: 'l-1', name: 'Tica', rulesJson: { drawSchedule: { frequency, times, daysOfWeek, exceptDates } } },
      window: { from, to },
      middle: new Date(from.getTime() + Math.floor(span * cut)),
      times,
      daysOfWeek,
      exceptDates,
    };
  });

const crHHMM = (instant: Date) => {
  const time = toCRZoned(instant).toLocalTime();
  return `${pad(time.hour())}:${pad(time.minute())}`;
};

describe('expandDrawSchedule properties', () => {
  it('gives draws inside [from, to), strictly increasing, named after their CR time', () => {
    fc.assert(
      fc.property(scenario, ({ loteria, window }) => {
        const instants = expandDrawSchedule(loteria, window).map((draw) => {
          expect(draw.name).to.equal(`Tica ${crHHMM(draw.scheduledAt)}`);
          return draw.scheduledAt.getTime();
        });
        instants.forEach((t, i) => {
          expect(t).to.be.at.least(window.from.getTime()).and.below(window.to.getTime());
          if (i > 0) expect(t).to.be.above(instants[i - 1]!);
        });
      }),
    );
  });

  it('gives the same draws for a window as for its two halves, so nothing is lost or doubled at a boundary', () => {
    fc.assert(
      fc.property(scenario, ({ loteria, window, middle }) => {
        const whole = expandDrawSchedule(loteria, window);
        const halves = [...expandDrawSchedule(loteria, { from: window.from, to: middle }), ...expandDrawSchedule(loteria, { from: middle, to: window.to })];
        expect(halves).to.deep.equal(whole);
      }),
    );
  });

  it('draws only on allowed, non-excepted CR dates, at the listed times outside clock changes', () => {
    fc.assert(
      fc.property(scenario, ({ loteria, window, times, daysOfWeek, exceptDates }) => {
        for (const { scheduledAt } of expandDrawSchedule(loteria, window)) {
          const crDate = toCRDateString(scheduledAt);
          expect(exceptDates).to.not.include(crDate);
          if (daysOfWeek) expect(daysOfWeek).to.include(toCRZoned(scheduledAt).dayOfWeek().value() % 7);
          if (crDate >= '1993-01-01') expect(times).to.include(crHHMM(scheduledAt));
        }
      }),
    );
  });

  it('gives every distinct time once on a whole allowed CR day', () => {
    fc.assert(
      fc.property(fc.array(hhmm, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 20_000 }), (times, offset) => {
        const crDate = addCRDays('1995-01-01', offset);
        const loteria = { id: 'l-1', name: 'Tica', rulesJson: { drawSchedule: { frequency: 'diario', times } } };
        const { start, end } = crDayRange(crDate);
        expect(expandDrawSchedule(loteria, { from: start, to: end })).to.have.length(new Set(times).size);
      }),
    );
  });
});
