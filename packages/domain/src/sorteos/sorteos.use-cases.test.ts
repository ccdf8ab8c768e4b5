import { expect } from 'chai';
import { fixedClock } from '../kernel/clock.port';
import { memoryLogger } from '../kernel/logger.port';
import { createInMemorySorteos } from '../testing/sorteos/in-memory-sorteos';
import { crLocalToInstant } from '../time/cr-time';
import { autoCloseSorteos } from './auto-close.use-case';
import { autoCreateSorteos } from './auto-create.use-case';
import { autoOpenSorteos } from './auto-open.use-case';
import type { DrawOccurrence } from './draw-schedule';

const daily = (...times: string[]) => ({ drawSchedule: { frequency: 'diario', times } });
const at0130CR = fixedClock(new Date('2025-03-10T07:30:00Z'));

/** In-memory ports whose createMany records each batch it receives. */
function portsRecordingBatches() {
  const ports = createInMemorySorteos();
  const batches: DrawOccurrence[][] = [];
  const createMany = ports.sorteos.createMany.bind(ports.sorteos);
  ports.sorteos.createMany = async (occurrences) => {
    batches.push([...occurrences]);
    return createMany(occurrences);
  };
  return { ...ports, batches };
}

describe('autoCreateSorteos', () => {
  it('counts a lottery with a broken rulesJson, logs it, and still creates the others in one batch', async () => {
    const { store, loterias, sorteos, batches } = portsRecordingBatches();
    const tiempos = store.addLoteria({ name: 'Tiempos', rulesJson: daily('12:55') });
    const broken = store.addLoteria({ name: 'Rota', rulesJson: { drawSchedule: { frequency: 'semanal', times: ['20:00'] } } });
    const nica = store.addLoteria({ name: 'Nica', rulesJson: daily('21:00') });
    const logger = memoryLogger();

    const summary = await autoCreateSorteos({ loterias, sorteos, clock: at0130CR, logger });

    expect(summary).to.deep.equal({ createdCount: 14, skippedCount: 0, errorsCount: 1, executedAt: '2025-03-10T07:30:00.000Z', success: true });
    expect(batches).to.have.length(1);
    expect(new Set(store.sorteos.map((s) => s.loteriaId))).to.deep.equal(new Set([tiempos, nica]));
    expect(logger.entries).to.have.length(1);
    expect(logger.entries[0]).to.deep.include({ level: 'warn', action: 'SORTEOS_AUTO_CREATE_LOTERIA_ERROR' });
    expect(logger.entries[0]!.payload).to.include({ loteriaId: broken, code: 'LOTERIA.INVALID_DRAW_SCHEDULE' });
    expect(logger.entries[0]!.payload!['error']).to.be.a('string').that.contains('daysOfWeek');
  });

  it('counts what already exists as skipped', async () => {
    const { store, loterias, sorteos } = createInMemorySorteos();
    const loteriaId = store.addLoteria({ name: 'Tiempos', rulesJson: daily('12:55') });
    store.addSorteo({ loteriaId, scheduledAt: crLocalToInstant('2025-03-12', '12:55'), status: 'OPEN' });
    expect(await autoCreateSorteos({ loterias, sorteos, clock: at0130CR })).to.include({ createdCount: 6, skippedCount: 1, errorsCount: 0 });
  });

  it('honours daysAhead and names each sorteo after its CR time', async () => {
    const { store, loterias, sorteos } = createInMemorySorteos();
    store.addLoteria({ name: 'Tiempos', rulesJson: daily('00:00', '23:59') });
    expect(await autoCreateSorteos({ loterias, sorteos, clock: at0130CR }, { daysAhead: 1 })).to.include({ createdCount: 1 });
    expect(store.sorteos.map((s) => [s.name, s.scheduledAt.toISOString(), s.status])).to.deep.equal([
      ['Tiempos 23:59', '2025-03-11T05:59:00.000Z', 'SCHEDULED'],
    ]);
  });

  it('does not touch storage when no lottery has a draw to create', async () => {
    const { store, loterias, sorteos, batches } = portsRecordingBatches();
    store.addLoteria({ name: 'Rota', rulesJson: null });
    store.addLoteria({ name: 'Apagada', isActive: false, rulesJson: daily('12:55') });
    expect(await autoCreateSorteos({ loterias, sorteos, clock: at0130CR })).to.deep.include({ createdCount: 0, skippedCount: 0, errorsCount: 1 });
    expect(batches).to.deep.equal([]);
  });

  it('lets a storage failure fail the run, and refuses a bad daysAhead', async () => {
    const { store, loterias, sorteos } = createInMemorySorteos();
    store.addLoteria({ name: 'Tiempos', rulesJson: daily('12:55') });
    sorteos.createMany = async () => {
      throw new Error('connection reset');
    };
    await expectRejection(autoCreateSorteos({ loterias, sorteos, clock: at0130CR }), 'connection reset');
    await expectRejection(autoCreateSorteos({ loterias, sorteos, clock: at0130CR }, { daysAhead: 0 }), 'daysAhead');
  });
});

describe('autoOpenSorteos', () => {
  it('opens the sorteos of the CR date of now, also late in the CR evening when UTC is already tomorrow', async () => {
    const { store, sorteos } = createInMemorySorteos();
    const loteriaId = store.addLoteria({ name: 'Tiempos' });
    const today = store.addSorteo({ loteriaId, scheduledAt: crLocalToInstant('2025-03-10', '23:45') });
    const tomorrow = store.addSorteo({ loteriaId, scheduledAt: crLocalToInstant('2025-03-11', '12:55') });
    const summary = await autoOpenSorteos({ sorteos, clock: fixedClock(new Date('2025-03-11T05:30:00Z')) });
    expect(summary).to.deep.equal({ openedCount: 1, errorsCount: 0, executedAt: '2025-03-11T05:30:00.000Z', success: true });
    expect(store.sorteos.map((s) => [s.id, s.status])).to.deep.equal([[today, 'OPEN'], [tomorrow, 'SCHEDULED']]);
  });
});

describe('autoCloseSorteos', () => {
  it('closes past OPEN sorteos without sales and reports when it ran', async () => {
    const { store, sorteos } = createInMemorySorteos();
    const loteriaId = store.addLoteria({ name: 'Tiempos' });
    store.addSorteo({ loteriaId, status: 'OPEN', scheduledAt: crLocalToInstant('2025-03-10', '12:55') });
    const sold = store.addSorteo({ loteriaId, status: 'OPEN', scheduledAt: crLocalToInstant('2025-03-10', '16:30') });
    store.addTicket({ sorteoId: sold, status: 'ACTIVE' });
    const summary = await autoCloseSorteos({ sorteos, clock: fixedClock(new Date('2025-03-11T04:00:00Z')) });
    expect(summary).to.deep.equal({ closedCount: 1, errorsCount: 0, executedAt: '2025-03-11T04:00:00.000Z', success: true });
  });
});

async function expectRejection(promise: Promise<unknown>, messagePart: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.contain(messagePart);
    return;
  }
  expect.fail(`expected a rejection mentioning ${messagePart}`);
}
