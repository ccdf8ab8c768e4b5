import { expect } from 'chai';
import { fixedClock } from '../kernel/clock.port';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';
import type { CloseDimensionBatchCommand, MonthlyClosingRepository } from './closing.ports';
import type { ClosingProgress } from './monthly-closing.use-case';
import { closeMonth } from './monthly-closing.use-case';

/** A closing port over fixed entity ids per dimension, recording every batch it is asked for. */
function pagedClosing(ids: Record<string, string[]>, failing: string[] = []) {
  const commands: CloseDimensionBatchCommand[] = [];
  const closing: MonthlyClosingRepository = {
    async closeDimensionBatch(command) {
      commands.push(command);
      const page = (ids[command.dimension] ?? []).filter((id) => command.afterEntityId === null || id > command.afterEntityId).slice(0, command.limit);
      const errors = page.filter((id) => failing.includes(id)).length;
      return { processed: page.length - errors, errors, lastEntityId: page.at(-1) ?? null, laterRowsUpdated: page.length };
    },
  };
  return { closing, commands };
}

const ENTITIES = { vendedor: ['a', 'b', 'c', 'd', 'e'], ventana: ['f', 'g'], banca: ['h'] };

describe('closeMonth', () => {
  it('closes the previous CR month by default: at 05:30Z on 1 March it is still February in CR', async () => {
    const { closing, commands } = pagedClosing(ENTITIES);
    const early = await closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T05:30:00Z')) });
    expect(early.closingMonth).to.equal('2025-01');
    const scheduled = await closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) });
    expect(scheduled.closingMonth).to.equal('2025-02');
    expect(commands.at(-1)).to.include({ month: '2025-02', previousMonth: '2025-01', firstDay: '2025-02-01', lastDay: '2025-02-28' });
  });

  it('pages each dimension in turn with a keyset cursor and sums successes and errors', async () => {
    const { closing, commands } = pagedClosing(ENTITIES, ['d']);
    const progress: ClosingProgress[] = [];
    const summary = await closeMonth(
      { closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) },
      { month: '2024-02', batchSize: 2, userId: 'admin-1', onProgress: (p) => progress.push(p) },
    );
    expect(summary).to.deep.equal({
      closingMonth: '2024-02', totalSuccess: 7, totalErrors: 1,
      vendedores: { success: 4, errors: 1 }, ventanas: { success: 2, errors: 0 }, bancas: { success: 1, errors: 0 },
      laterRowsUpdated: 8, executedBy: 'admin-1', executedAt: '2025-03-01T08:00:00.000Z',
    });
    expect(commands.map((c) => `${c.dimension}:${c.afterEntityId}`)).to.deep.equal([
      'vendedor:null', 'vendedor:b', 'vendedor:d', 'ventana:null', 'ventana:g', 'banca:null',
    ]);
    expect(commands[0]).to.include({ lastDay: '2024-02-29', previousMonth: '2024-01', closedBy: 'admin-1', limit: 2 });
    expect(progress.at(2)).to.deep.equal({ month: '2024-02', dimension: 'vendedor', success: 4, errors: 1, lastEntityId: 'e' });
  });

  it('a scheduled run says SYSTEM executed it', async () => {
    const { closing } = pagedClosing(ENTITIES);
    expect(await closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) })).to.include({ executedBy: 'SYSTEM' });
  });

  it('refuses a month that has not ended in Costa Rica: at 05:59Z on 1 March, February still runs there', async () => {
    const { closing, commands } = pagedClosing(ENTITIES);
    const rejection = await expectDomainRejection(
      closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T05:59:59Z')) }, { month: '2025-02' }),
      'CLOSING.MONTH_NOT_ENDED',
    );
    expect(rejection.details).to.deep.equal({ month: '2025-02', endsAt: '2025-03-01T06:00:00.000Z' });
    await expectDomainRejection(closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) }, { month: '2025-03' }), 'CLOSING.MONTH_NOT_ENDED');
    expect(commands).to.deep.equal([]);
    expect((await closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T06:00:00Z')) }, { month: '2025-02' })).closingMonth).to.equal('2025-02');
  });

  it('refuses an invalid month or batch size before writing anything', async () => {
    const { closing, commands } = pagedClosing(ENTITIES);
    const deps = { closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) };
    await expectDomainRejection(closeMonth(deps, { month: '2025-13' }), 'TIME.INVALID_MONTH');
    await expectDomainRejection(closeMonth(deps, { month: '2025-2' }), 'TIME.INVALID_MONTH');
    await expectDomainRejection(closeMonth(deps, { batchSize: 0 }), 'VALIDATION.INVALID_INPUT');
    await expectDomainRejection(closeMonth(deps, { batchSize: 2.5 }), 'VALIDATION.INVALID_INPUT');
    expect(commands).to.deep.equal([]);
  });

  it('stops a dimension when the adapter returns a cursor that does not move', async () => {
    const closing: MonthlyClosingRepository = { closeDimensionBatch: async () => ({ processed: 1, errors: 0, lastEntityId: 'same', laterRowsUpdated: 0 }) };
    const summary = await closeMonth({ closing, clock: fixedClock(new Date('2025-03-01T08:00:00Z')) }, { batchSize: 1 });
    expect(summary.vendedores).to.deep.equal({ success: 2, errors: 0 });
  });
});
