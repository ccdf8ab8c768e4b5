import { expect } from 'chai';
import { DomainError } from '../kernel/domain-error';
import { crDayRange } from '../time/cr-time';
import { expandDrawSchedule } from './draw-schedule';
import { parseDrawSchedules } from './draw-schedule-rules';

const loteria = (rulesJson: unknown) => ({ id: 'l-7', name: 'Nica', rulesJson });
const schedule = (fields: Record<string, unknown>) => ({ drawSchedule: { frequency: 'diario', times: ['12:55'], ...fields } });
const week = { from: crDayRange('2025-03-10').start, to: crDayRange('2025-03-16').end };

function refusal(rulesJson: unknown): DomainError {
  try {
    expandDrawSchedule(loteria(rulesJson), week);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(rulesJson)}`);
}

describe('draw schedule validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['rulesJson null', null, 'rulesJson'],
    ['rulesJson a string', '{"drawSchedule":{}}', 'rulesJson'],
    ['rulesJson an array', [], 'rulesJson'],
    ['no schedule at all', { other: true }, 'drawSchedule'],
    ['a null drawSchedule', { drawSchedule: null }, 'drawSchedule'],
    ['drawSchedule not an object', { drawSchedule: 'diario' }, 'drawSchedule'],
    ['both drawSchedule and drawSchedules', { ...schedule({}), drawSchedules: [schedule({}).drawSchedule] }, 'rulesJson'],
    ['drawSchedules not an array', { drawSchedules: schedule({}).drawSchedule }, 'drawSchedules'],
    ['drawSchedules empty', { drawSchedules: [] }, 'drawSchedules'],
    ['an unknown frequency', schedule({ frequency: 'mensual' }), 'drawSchedule.frequency'],
    ['a missing frequency', schedule({ frequency: undefined }), 'drawSchedule.frequency'],
    ['missing times', schedule({ times: undefined }), 'drawSchedule.times'],
    ['empty times', schedule({ times: [] }), 'drawSchedule.times'],
    ['times as one string', schedule({ times: '12:55' }), 'drawSchedule.times'],
    ['an hour of 24', schedule({ times: ['12:55', '24:00'] }), 'drawSchedule.times[1]'],
    ['a one-digit hour', schedule({ times: ['9:30'] }), 'drawSchedule.times[0]'],
    ['seconds in a time', schedule({ times: ['12:55:00'] }), 'drawSchedule.times[0]'],
    ['a time as a number', schedule({ times: [1255] }), 'drawSchedule.times[0]'],
    ['semanal without daysOfWeek', schedule({ frequency: 'semanal' }), 'drawSchedule.daysOfWeek'],
    ['semanal with null daysOfWeek', schedule({ frequency: 'semanal', daysOfWeek: null }), 'drawSchedule.daysOfWeek'],
    ['empty daysOfWeek', schedule({ frequency: 'semanal', daysOfWeek: [] }), 'drawSchedule.daysOfWeek'],
    ['daysOfWeek not an array', schedule({ daysOfWeek: 3 }), 'drawSchedule.daysOfWeek'],
    ['day 7', schedule({ daysOfWeek: [1, 7] }), 'drawSchedule.daysOfWeek[1]'],
    ['day -1', schedule({ daysOfWeek: [-1] }), 'drawSchedule.daysOfWeek[0]'],
    ['a fractional day', schedule({ daysOfWeek: [1.5] }), 'drawSchedule.daysOfWeek[0]'],
    ['a day as a string', schedule({ daysOfWeek: ['1'] }), 'drawSchedule.daysOfWeek[0]'],
    ['exceptDates as one string', schedule({ exceptDates: '2025-12-25' }), 'drawSchedule.exceptDates'],
    ['a date that does not exist', schedule({ exceptDates: ['2025-02-29'] }), 'drawSchedule.exceptDates[0]'],
    ['a date in another format', schedule({ exceptDates: ['2025-12-24', '25/12/2025'] }), 'drawSchedule.exceptDates[1]'],
    ['a misspelt field', schedule({ dayOfWeek: [1] }), 'drawSchedule.dayOfWeek'],
    ['a bad time in the second schedule', { drawSchedules: [schedule({}).drawSchedule, { frequency: 'diario', times: ['7:00'] }] }, 'drawSchedules[1].times[0]'],
    ['a schedule of drawSchedules not an object', { drawSchedules: [null] }, 'drawSchedules[0]'],
  ];

  for (const [what, rulesJson, field] of cases) {
    it(`refuses ${what} with LOTERIA.INVALID_DRAW_SCHEDULE naming ${field}`, () => {
      const error = refusal(rulesJson);
      expect(error.code).to.equal('LOTERIA.INVALID_DRAW_SCHEDULE');
      expect(error.details).to.include({ loteriaId: 'l-7', field });
      expect(error.message).to.contain('"Nica"').and.contain(field);
    });
  }

  it('refuses an invalid window naming the window', () => {
    const valid = loteria(schedule({}));
    for (const window of [{ from: week.to, to: week.from }, { from: new Date(Number.NaN), to: week.to }, { from: week.from, to: undefined as unknown as Date }]) {
      expect(() => expandDrawSchedule(valid, window)).to.throw(DomainError).with.property('details').that.includes({ field: 'window' });
    }
  });

  it('reads JSON null optional fields as absent and normalises the days', () => {
    expect(parseDrawSchedules(loteria({ drawSchedule: null, drawSchedules: [schedule({ daysOfWeek: [5, 1, 5], exceptDates: null }).drawSchedule] }))).to.deep.equal([
      { frequency: 'diario', times: ['12:55'], daysOfWeek: [1, 5], exceptDates: [] },
    ]);
    expect(parseDrawSchedules(loteria(schedule({ daysOfWeek: null })))).to.deep.equal([{ frequency: 'diario', times: ['12:55'], exceptDates: [] }]);
  });
});
