import { expect } from 'chai';
import { crDayRange, crLocalToInstant } from '../time/cr-time';
import { autoCreateWindow, expandDrawSchedule, type TimeWindow } from './draw-schedule';

const tiempos = (rulesJson: unknown) => ({ id: 'l-1', name: 'Tiempos', rulesJson });
const daily = (times: string[], extra: object = {}) => tiempos({ drawSchedule: { frequency: 'diario', times, ...extra } });
const crDays = (first: string, last: string): TimeWindow => ({ from: crDayRange(first).start, to: crDayRange(last).end });
const isoOf = (draws: Array<{ scheduledAt: Date }>) => draws.map((draw) => draw.scheduledAt.toISOString());
const namesOf = (draws: Array<{ name: string }>) => draws.map((draw) => draw.name);

describe('expandDrawSchedule', () => {
  it('gives a diario schedule every time of every CR day, sorted, named in CR time', () => {
    const draws = expandDrawSchedule(daily(['19:30', '12:55']), crDays('2025-03-10', '2025-03-11'));
    expect(isoOf(draws)).to.deep.equal([
      '2025-03-10T18:55:00.000Z',
      '2025-03-11T01:30:00.000Z',
      '2025-03-11T18:55:00.000Z',
      '2025-03-12T01:30:00.000Z',
    ]);
    expect(namesOf(draws)).to.deep.equal(['Tiempos 12:55', 'Tiempos 19:30', 'Tiempos 12:55', 'Tiempos 19:30']);
    expect(draws.every((draw) => draw.loteriaId === 'l-1')).to.equal(true);
  });

  it('keeps from and drops to: [from, to)', () => {
    const at = crLocalToInstant('2025-03-10', '12:55');
    expect(expandDrawSchedule(daily(['12:55']), { from: at, to: new Date(at.getTime() + 1) })).to.have.length(1);
    expect(expandDrawSchedule(daily(['12:55']), { from: new Date(at.getTime() - 60_000), to: at })).to.deep.equal([]);
    expect(expandDrawSchedule(daily(['12:55']), { from: at, to: at })).to.deep.equal([]);
  });

  it('gives a semanal schedule only on its days of the week (0 = Sunday)', () => {
    const semanal = tiempos({ drawSchedule: { frequency: 'semanal', times: ['20:00'], daysOfWeek: [0, 3] } });
    // 2025-03-10 is a Monday.
    const draws = expandDrawSchedule(semanal, crDays('2025-03-10', '2025-03-16'));
    expect(isoOf(draws)).to.deep.equal(['2025-03-13T02:00:00.000Z', '2025-03-17T02:00:00.000Z']);
    expect(namesOf(draws)).to.deep.equal(['Tiempos 20:00', 'Tiempos 20:00']);
  });

  it('lets daysOfWeek restrict diario and personalizado, which otherwise draw every day', () => {
    const week = crDays('2025-03-10', '2025-03-16');
    expect(expandDrawSchedule(daily(['12:00'], { daysOfWeek: [6] }), week)).to.have.length(1);
    expect(expandDrawSchedule(tiempos({ drawSchedule: { frequency: 'personalizado', times: ['12:00'] } }), week)).to.have.length(7);
    const weekdays = tiempos({ drawSchedule: { frequency: 'personalizado', times: ['12:00'], daysOfWeek: [1, 2, 3, 4, 5] } });
    expect(expandDrawSchedule(weekdays, week)).to.have.length(5);
  });

  it('skips every draw of an exceptDates CR date and nothing else', () => {
    const draws = expandDrawSchedule(daily(['12:55', '19:30'], { exceptDates: ['2025-12-25'] }), crDays('2025-12-24', '2025-12-26'));
    expect(isoOf(draws)).to.deep.equal([
      '2025-12-24T18:55:00.000Z',
      '2025-12-25T01:30:00.000Z',
      '2025-12-26T18:55:00.000Z',
      '2025-12-27T01:30:00.000Z',
    ]);
  });

  it('merges several drawSchedules into one sorted list with one draw per instant', () => {
    const rules = {
      drawSchedules: [
        { frequency: 'diario', times: ['12:55', '19:30', '12:55'] },
        { frequency: 'semanal', times: ['19:30', '16:30'], daysOfWeek: [1] },
      ],
    };
    const draws = expandDrawSchedule(tiempos(rules), crDays('2025-03-10', '2025-03-11'));
    expect(namesOf(draws)).to.deep.equal(['Tiempos 12:55', 'Tiempos 16:30', 'Tiempos 19:30', 'Tiempos 12:55', 'Tiempos 19:30']);
  });

  describe('near CR midnight', () => {
    it('puts 00:00 at 06:00Z of the same date and 23:59 at 05:59Z of the next UTC date', () => {
      const draws = expandDrawSchedule(daily(['23:59', '00:00']), crDays('2025-03-10', '2025-03-10'));
      expect(isoOf(draws)).to.deep.equal(['2025-03-10T06:00:00.000Z', '2025-03-11T05:59:00.000Z']);
      expect(namesOf(draws)).to.deep.equal(['Tiempos 00:00', 'Tiempos 23:59']);
    });

    it('reads daysOfWeek and exceptDates on the CR date, not the UTC one', () => {
      const monday = expandDrawSchedule(tiempos({ drawSchedule: { frequency: 'semanal', times: ['23:59'], daysOfWeek: [1] } }), crDays('2025-03-09', '2025-03-11'));
      expect(isoOf(monday)).to.deep.equal(['2025-03-11T05:59:00.000Z']);
      const except = expandDrawSchedule(daily(['23:59', '00:00'], { exceptDates: ['2025-03-10'] }), crDays('2025-03-10', '2025-03-11'));
      expect(isoOf(except)).to.deep.equal(['2025-03-11T06:00:00.000Z', '2025-03-12T05:59:00.000Z']);
    });

    it('starts a window opened at 01:30 CR after that day 00:00 draw and includes its 23:59 draw', () => {
      const window = autoCreateWindow(new Date('2025-03-10T07:30:00Z'), 1);
      expect(isoOf(expandDrawSchedule(daily(['00:00', '23:59']), window))).to.deep.equal(['2025-03-11T05:59:00.000Z']);
    });

    it('moves a time skipped by the 1991 CR clock change forward and names it by the clock', () => {
      const draws = expandDrawSchedule(daily(['00:30', '01:30']), crDays('1991-01-19', '1991-01-19'));
      expect(isoOf(draws)).to.deep.equal(['1991-01-19T06:30:00.000Z']);
      expect(namesOf(draws)).to.deep.equal(['Tiempos 01:30']);
    });
  });
});

describe('autoCreateWindow', () => {
  it('runs from now to the start of the CR day seven days after today CR', () => {
    const now = new Date('2025-03-10T07:30:00Z');
    const window = autoCreateWindow(now);
    expect(window.from.toISOString()).to.equal(now.toISOString());
    expect(window.from).to.not.equal(now);
    expect(window.to.toISOString()).to.equal('2025-03-17T06:00:00.000Z');
  });

  it('moves its end at 06:00Z, where the CR day changes', () => {
    expect(autoCreateWindow(new Date('2025-03-11T05:59:59.999Z')).to.toISOString()).to.equal('2025-03-17T06:00:00.000Z');
    expect(autoCreateWindow(new Date('2025-03-11T06:00:00.000Z')).to.toISOString()).to.equal('2025-03-18T06:00:00.000Z');
  });

  it('takes another number of days ahead', () => {
    expect(autoCreateWindow(new Date('2025-03-10T07:30:00Z'), 1).to.toISOString()).to.equal('2025-03-11T06:00:00.000Z');
    expect(autoCreateWindow(new Date('2025-03-10T07:30:00Z'), 30).to.toISOString()).to.equal('2025-04-09T06:00:00.000Z');
  });

  it('refuses a daysAhead that is not a positive integer, and an invalid now', () => {
    for (const daysAhead of [0, -1, 1.5, Number.NaN]) {
      expect(() => autoCreateWindow(new Date('2025-03-10T07:30:00Z'), daysAhead)).to.throw().with.property('code', 'VALIDATION.INVALID_INPUT');
    }
    expect(() => autoCreateWindow(new Date(Number.NaN))).to.throw().with.property('code', 'TIME.INVALID_INSTANT');
  });
});
