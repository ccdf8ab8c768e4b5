import { expect } from 'chai';
import { fixedClock } from '../../kernel/clock.port';
import { autoCloseSorteos } from '../../sorteos/auto-close.use-case';
import { autoCreateSorteos } from '../../sorteos/auto-create.use-case';
import { autoOpenSorteos } from '../../sorteos/auto-open.use-case';
import { crLocalToInstant } from '../../time/cr-time';
import type { SorteosContractHarness } from './sorteos-contract.harness';

const cr = crLocalToInstant;

/** The jobs (docs/architecture.md, Time) run against the adapter's ports at their CR times. */
export function sorteoUseCasesContract(harness: () => SorteosContractHarness): void {
  describe('the sorteo jobs over these ports', () => {
    it('auto-open at 01:00 CR opens the whole CR day, 00:00 to 23:59, and nothing of the next', async () => {
      const h = harness();
      const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
      const today = [await h.givenSorteo({ loteriaId, scheduledAt: cr('2025-03-10', '00:00') }), await h.givenSorteo({ loteriaId, scheduledAt: cr('2025-03-10', '23:59') })];
      const tomorrow = await h.givenSorteo({ loteriaId, scheduledAt: cr('2025-03-11', '00:00') });
      const summary = await autoOpenSorteos({ sorteos: h.sorteos, clock: fixedClock(new Date('2025-03-10T07:00:00Z')) });
      expect(summary).to.deep.equal({ openedCount: 2, errorsCount: 0, executedAt: '2025-03-10T07:00:00.000Z', success: true });
      const rows = await h.listSorteos();
      expect([...today, tomorrow].map((id) => rows.find((row) => row.id === id)?.status)).to.deep.equal(['OPEN', 'OPEN', 'SCHEDULED']);
    });

    it('auto-create makes a week of draws once, skips them on a re-run, and counts a broken lottery', async () => {
      const h = harness();
      const loteriaId = await h.givenLoteria({ name: 'Tiempos', rulesJson: { drawSchedule: { frequency: 'diario', times: ['00:00', '12:55'] } } });
      await h.givenLoteria({ name: 'Rota', rulesJson: { drawSchedule: { frequency: 'diario', times: ['25:00'] } } });
      const deps = { loterias: h.loterias, sorteos: h.sorteos, clock: fixedClock(new Date('2025-03-10T07:30:00Z')) };
      // 01:30 CR: today's 00:00 has passed, so 7 × 12:55 and 6 × 00:00.
      expect(await autoCreateSorteos(deps)).to.deep.equal({ createdCount: 13, skippedCount: 0, errorsCount: 1, executedAt: '2025-03-10T07:30:00.000Z', success: true });
      expect(await autoCreateSorteos(deps)).to.include({ createdCount: 0, skippedCount: 13, errorsCount: 1 });
      const rows = await h.listSorteos();
      expect(rows.every((row) => row.loteriaId === loteriaId && row.status === 'SCHEDULED')).to.equal(true);
      expect(rows.map((row) => row.scheduledAt.getTime()).sort((a, b) => a - b).at(-1)).to.equal(cr('2025-03-16', '12:55').getTime());
    });

    it('auto-close at 22:00 CR closes the unsold draws already held that day', async () => {
      const h = harness();
      const loteriaId = await h.givenLoteria({ name: 'Tiempos' });
      const unsold = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', '19:30') });
      const sold = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', '12:55') });
      await h.givenTicket({ sorteoId: sold, status: 'ACTIVE' });
      const later = await h.givenSorteo({ loteriaId, status: 'OPEN', scheduledAt: cr('2025-03-10', '22:30') });
      const summary = await autoCloseSorteos({ sorteos: h.sorteos, clock: fixedClock(new Date('2025-03-11T04:00:00Z')) });
      expect(summary).to.deep.equal({ closedCount: 1, errorsCount: 0, executedAt: '2025-03-11T04:00:00.000Z', success: true });
      const rows = await h.listSorteos();
      expect([unsold, sold, later].map((id) => rows.find((row) => row.id === id)?.status)).to.deep.equal(['CLOSED', 'OPEN', 'OPEN']);
    });
  });
}
