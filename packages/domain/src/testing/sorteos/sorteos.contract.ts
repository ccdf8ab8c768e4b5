import { expect } from 'chai';
import { crDayRange, crLocalToInstant } from '../../time/cr-time';
import type { SorteoStatus } from '../../sorteos/sorteo-lifecycle';
import { sorteoUseCasesContract } from './sorteos-use-cases.contract';
import type { SorteosContractHarness } from './sorteos-contract.harness';


const cr = crLocalToInstant;

/**
 * The behaviour every implementation of LoteriaRepository and SorteoRepository must show (docs/architecture.md, The banca rules).
 * Call it from an adapter's test file; `makeHarness` gives a fresh, empty store for each test.
 */
export function sorteoPortsContract(name: string, makeHarness: () => Promise<SorteosContractHarness>): void {
  describe(`sorteo ports contract: ${name}`, () => {
    let h: SorteosContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h?.close();
    });

    const statuses = async (...ids: string[]): Promise<Array<SorteoStatus | undefined>> => {
      const rows = await h.listSorteos();
      return ids.map((id) => rows.find((row) => row.id === id)?.status);
    };

    describe('LoteriaRepository.listForAutoCreate', () => {
      it('lists only active lotteries with auto-create enabled, with their rules as stored', async () => {
        const rulesJson = { drawSchedule: { frequency: 'diario', times: ['12:55'] }, other: [1, 'x'] };
        const wanted = await h.givenLoteria({ name: 'Tiempos', rulesJson, autoOpenEnabled: false });
        await h.givenLoteria({ name: 'Apagada', isActive: false });
        await h.givenLoteria({ name: 'Manual', autoCreateEnabled: false });
        expect(await h.loterias.listForAutoCreate()).to.deep.equal([{ id: wanted, name: 'Tiempos', rulesJson }]);
      });
    });

    describe('SorteoRepository.createMany', () => {
      const batch = (loteriaId: string) => [
        { loteriaId, name: 'Tiempos 12:55', scheduledAt: cr('2025-03-10', '12:55') },
        { loteriaId, name: 'Tiempos 19:30', scheduledAt: cr('2025-03-10', '19:30') },
      ];

      it('creates each occurrence as an active SCHEDULED sorteo', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        expect(await h.sorteos.createMany(batch(loteriaId))).to.deep.equal({ createdCount: 2, skippedCount: 0 });
        const rows = (await h.listSorteos()).sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
        expect(rows.map(({ id: _id, ...row }) => row)).to.deep.equal(
          batch(loteriaId).map((occurrence) => ({ ...occurrence, status: 'SCHEDULED', isActive: true })),
        );
        expect(rows.every((row) => typeof row.id === 'string')).to.equal(true);
      });

      it('counts an existing (loteria, instant) as skipped and leaves that sorteo untouched', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const existing = await h.givenSorteo({ loteriaId, scheduledAt: cr('2025-03-10', '12:55'), name: 'Old name', status: 'OPEN' });
        expect(await h.sorteos.createMany(batch(loteriaId))).to.deep.equal({ createdCount: 1, skippedCount: 1 });
        const kept = (await h.listSorteos()).find((row) => row.id === existing);
        expect(kept).to.include({ name: 'Old name', status: 'OPEN' });
        expect(await h.listSorteos()).to.have.length(2);
      });

      it('creates nothing when the same batch runs again', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        await h.sorteos.createMany(batch(loteriaId));
        expect(await h.sorteos.createMany(batch(loteriaId))).to.deep.equal({ createdCount: 0, skippedCount: 2 });
        expect(await h.listSorteos()).to.have.length(2);
      });

      it('counts a pair repeated within one batch as created once and skipped once', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const [first] = batch(loteriaId);
        expect(await h.sorteos.createMany([first!, { ...first! }])).to.deep.equal({ createdCount: 1, skippedCount: 1 });
      });

      it('creates the same instant for two lotteries', async () => {
        const a = await h.givenLoteria({ name: 'A' });
        const b = await h.givenLoteria({ name: 'B' });
        const scheduledAt = cr('2025-03-10', '12:55');
        const result = await h.sorteos.createMany([
          { loteriaId: a, name: 'A 12:55', scheduledAt },
          { loteriaId: b, name: 'B 12:55', scheduledAt },
        ]);
        expect(result).to.deep.equal({ createdCount: 2, skippedCount: 0 });
      });

      it('returns zero counts for an empty batch', async () => {
        expect(await h.sorteos.createMany([])).to.deep.equal({ createdCount: 0, skippedCount: 0 });
      });
    });

    describe('SorteoRepository.openScheduledBetween', () => {
      const day = crDayRange('2025-03-10');

      it('opens active SCHEDULED sorteos with start <= scheduledAt < end of active auto-open lotteries', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const given = (crDate: string, hhmm: string) => h.givenSorteo({ loteriaId, scheduledAt: cr(crDate, hhmm) });
        const inside = [await given('2025-03-10', '00:00'), await given('2025-03-10', '12:55'), await given('2025-03-10', '23:59')];
        const outside = [await given('2025-03-09', '23:59'), await given('2025-03-11', '00:00')];
        expect(await h.sorteos.openScheduledBetween(day)).to.equal(3);
        expect(await statuses(...inside)).to.deep.equal(['OPEN', 'OPEN', 'OPEN']);
        expect(await statuses(...outside)).to.deep.equal(['SCHEDULED', 'SCHEDULED']);
      });

      it('leaves sorteos of inactive or non-auto-open lotteries, and inactive sorteos, SCHEDULED', async () => {
        const scheduledAt = cr('2025-03-10', '12:55');
        const inactive = await h.givenLoteria({ name: 'Inactive', isActive: false });
        const manual = await h.givenLoteria({ name: 'Manual', autoOpenEnabled: false });
        const open = await h.givenLoteria({ name: 'Auto' });
        const ids = [
          await h.givenSorteo({ loteriaId: inactive, scheduledAt }),
          await h.givenSorteo({ loteriaId: manual, scheduledAt }),
          await h.givenSorteo({ loteriaId: open, scheduledAt, isActive: false }),
        ];
        expect(await h.sorteos.openScheduledBetween(day)).to.equal(0);
        expect(await statuses(...ids)).to.deep.equal(['SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
      });

      it('leaves sorteos in other statuses as they are, and opens nothing on a second run', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const others: SorteoStatus[] = ['OPEN', 'EVALUATED', 'CLOSED'];
        const ids = await Promise.all(
          others.map((status, i) => h.givenSorteo({ loteriaId, status, scheduledAt: cr('2025-03-10', `1${i}:00`) })),
        );
        const scheduled = await h.givenSorteo({ loteriaId, scheduledAt: cr('2025-03-10', '18:00') });
        expect(await h.sorteos.openScheduledBetween(day)).to.equal(1);
        expect(await h.sorteos.openScheduledBetween(day)).to.equal(0);
        expect(await statuses(...ids, scheduled)).to.deep.equal([...others, 'OPEN']);
      });
    });

    describe('SorteoRepository.closeUnsoldOpenUpTo', () => {
      const now = cr('2025-03-10', '22:00');

      it('closes past OPEN sorteos with no tickets, including one scheduled exactly now', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const past = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', '12:55') });
        const atNow = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: now });
        const future = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', '22:01') });
        expect(await h.sorteos.closeUnsoldOpenUpTo(now)).to.equal(2);
        expect(await statuses(past, atNow, future)).to.deep.equal(['CLOSED', 'CLOSED', 'OPEN']);
        expect(await h.sorteos.closeUnsoldOpenUpTo(now)).to.equal(0);
      });

      it('counts a CANCELLED or EXCLUDED ticket as no sale and an ACTIVE one as a sale', async () => {
        const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
        const open = (hhmm: string) => h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', hhmm) });
        const voided = await open('11:00');
        await h.givenTicket({ sorteoId: voided, status: 'CANCELLED' });
        await h.givenTicket({ sorteoId: voided, status: 'EXCLUDED' });
        const sold = await open('12:00');
        await h.givenTicket({ sorteoId: sold, status: 'CANCELLED' });
        await h.givenTicket({ sorteoId: sold, status: 'ACTIVE' });
        expect(await h.sorteos.closeUnsoldOpenUpTo(now)).to.equal(1);
        expect(await statuses(voided, sold)).to.deep.equal(['CLOSED', 'OPEN']);
      });

      it('leaves non-OPEN sorteos, inactive sorteos and sorteos of inactive lotteries as they are', async () => {
        const scheduledAt = cr('2025-03-10', '12:55');
        const active = await h.givenLoteria({ name: 'Tiempos', autoOpenEnabled: false });
        const inactive = await h.givenLoteria({ name: 'Inactive', isActive: false });
        const ids = [
          await h.givenSorteo({ loteriaId: active, scheduledAt, status: 'SCHEDULED' }),
          await h.givenSorteo({ loteriaId: active, scheduledAt: cr('2025-03-10', '13:00'), status: 'EVALUATED' }),
          await h.givenSorteo({ loteriaId: active, scheduledAt: cr('2025-03-10', '14:00'), status: 'OPEN', isActive: false }),
          await h.givenSorteo({ loteriaId: inactive, scheduledAt, status: 'OPEN' }),
        ];
        const manualOpen = await h.givenSorteo({ loteriaId: active, scheduledAt: cr('2025-03-10', '15:00'), status: 'OPEN' });
        expect(await h.sorteos.closeUnsoldOpenUpTo(now)).to.equal(1);
        expect(await statuses(...ids, manualOpen)).to.deep.equal(['SCHEDULED', 'EVALUATED', 'OPEN', 'OPEN', 'CLOSED']);
      });
    });

    sorteoUseCasesContract(() => h);
  });
}
