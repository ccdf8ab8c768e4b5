import { expect } from 'chai';
import Redis from 'ioredis';
import { addCRDays, crDayRange, crLocalToInstant, JOBS, toCRDateString, type JobName } from '@banca/domain';
import { type AutoCloseSummary, type AutoCreateSummary, type AutoOpenSummary } from '@banca/domain/ports';
import { BancaBook, givenLoteria } from './banca-book.test-helpers';
import { createJobWorld, cronSlots, payloadOf, summaryOf, type JobInstance, type JobWorld } from './jobs.test-helpers';

interface LoteriaSpec {
  name: string;
  rulesJson: unknown;
  autoCreateEnabled?: boolean;
  autoOpenEnabled?: boolean;
  /** The CR days and times it draws, by our own reading of the schedule. */
  draws?: { times: string[]; daysOfWeek?: number[]; exceptDates?: string[] };
}

const LOTERIAS: LoteriaSpec[] = [
  {
    name: 'Tiempos',
    rulesJson: { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } },
    draws: { times: ['12:55', '16:30', '19:30'] },
  },
  {
    name: 'Nica',
    rulesJson: { drawSchedule: { frequency: 'semanal', daysOfWeek: [3, 6], times: ['20:00'], exceptDates: ['2025-06-11'] } },
    draws: { times: ['20:00'], daysOfWeek: [3, 6], exceptDates: ['2025-06-11'] },
  },
  {
    name: 'Monazos',
    rulesJson: { drawSchedules: [{ frequency: 'diario', times: ['18:00'] }] },
    autoOpenEnabled: false,
    draws: { times: ['18:00'] },
  },
  { name: 'Rota', rulesJson: { drawSchedule: { frequency: 'diario', times: ['9:30'] } } },
  { name: 'Pausada', rulesJson: { drawSchedule: { frequency: 'diario', times: ['11:00'] } }, autoCreateEnabled: false },
];

type Status = 'SCHEDULED' | 'OPEN' | 'CLOSED';
interface ModelSorteo {
  loteria: string;
  name: string;
  at: string;
  crDay: string;
  status: Status;
  live: boolean;
}

const FIRST_DAY = '2025-06-02';
const START = crLocalToInstant(FIRST_DAY, '01:30');
const END = new Date(START.getTime() + 14 * 86_400_000);
const SORTEO_JOBS: JobName[] = ['sorteos.auto-close', 'sorteos.auto-open', 'sorteos.auto-create'];
const SALES_DAY = '2025-06-04';

const dayOfWeek = (crDay: string) => new Date(`${crDay}T12:00:00Z`).getUTCDay();
const keyOf = (loteria: string, at: string) => `${loteria}|${at}`;

describe('a simulated fortnight of sorteos: created a week ahead, opened on their day, closed when unsold', function () {
  let world: JobWorld;
  let scheduler: JobInstance;
  let loteriaIds: Map<string, string>;
  let book: BancaBook;

  before(async () => {
    world = await createJobWorld('sorteos_fortnight');
    scheduler = await world.instance();
    loteriaIds = new Map();
    for (const spec of LOTERIAS) {
      loteriaIds.set(
        spec.name,
        await givenLoteria(world.knex, {
          name: spec.name,
          rulesJson: spec.rulesJson,
          ...(spec.autoCreateEnabled === undefined ? {} : { autoCreateEnabled: spec.autoCreateEnabled }),
          ...(spec.autoOpenEnabled === undefined ? {} : { autoOpenEnabled: spec.autoOpenEnabled }),
        }),
      );
    }
    book = new BancaBook(world.knex);
  });

  after(() => world?.close());

  it('walks every UTC slot of the jobs table for two weeks and leaves each sorteo where its lifecycle says', async () => {
    const slots = cronSlots(
      SORTEO_JOBS.map((job) => [job, JOBS[job].cron] as const),
      START,
      END,
    );
    expect(slots[0]).to.deep.equal({ job: 'sorteos.auto-create', at: new Date('2025-06-02T07:30:00Z') });
    expect(slots.filter((s) => s.job === 'sorteos.auto-create')).to.have.length(14);

    const model = new Map<string, ModelSorteo>();
    const expectedRuns: Array<{ job_name: string; status: string; processed_count: number }> = [];
    const banca = await book.banca('Banca Central');
    const seller = await book.vendedor(await book.ventana(banca, 'Ventana Sabana'), 'Vendedor Uno');

    for (const { job, at } of slots) {
      const today = toCRDateString(at);
      const context = `${job} at ${at.toISOString()} (CR ${today})`;

      if (job === 'sorteos.auto-create') {
        const before = new Set(model.keys());
        for (const occurrence of expectedOccurrences(FIRST_DAY, addCRDays(today, 6))) {
          if (!model.has(keyOf(occurrence.loteria, occurrence.at))) model.set(keyOf(occurrence.loteria, occurrence.at), occurrence);
        }
        const inWindow = [...model.values()].filter((s) => new Date(s.at) >= at && new Date(s.at) < crDayRange(addCRDays(today, 7)).start).length;
        const created = model.size - before.size;

        const first = summaryOf<AutoCreateSummary>(await scheduler.runAt(job, at));
        expect(first, context).to.deep.equal({ createdCount: created, skippedCount: inWindow - created, errorsCount: 1, executedAt: at.toISOString(), success: true });
        const again = summaryOf<AutoCreateSummary>(await scheduler.runAt(job, at));
        expect(again, `${context}, run again`).to.deep.equal({ createdCount: 0, skippedCount: inWindow, errorsCount: 1, executedAt: at.toISOString(), success: true });
        expectedRuns.push({ job_name: job, status: 'SUCCESS', processed_count: created }, { job_name: job, status: 'SUCCESS', processed_count: 0 });

        const brokenLogs = scheduler.logged('SORTEOS_AUTO_CREATE_LOTERIA_ERROR').slice(-2);
        expect(brokenLogs.map(payloadOf).map((p) => [p['loteriaId'], p['code']]), context).to.deep.equal([
          [loteriaIds.get('Rota'), 'LOTERIA.INVALID_DRAW_SCHEDULE'],
          [loteriaIds.get('Rota'), 'LOTERIA.INVALID_DRAW_SCHEDULE'],
        ]);
        const completions = scheduler.logged('SORTEOS_AUTO_CREATE_COMPLETE').slice(-2);
        expect(completions.map(payloadOf), context).to.deep.equal([first, again]);

        // A week ahead: every day from today through today + 6 has its draws, and nothing later.
        const days = await sorteoDays(world, 'Tiempos');
        expect(days.at(-1), context).to.equal(addCRDays(today, 6));
      }

      if (job === 'sorteos.auto-open') {
        let opened = 0;
        for (const sorteo of model.values()) {
          if (sorteo.status === 'SCHEDULED' && sorteo.crDay === today && sorteo.loteria !== 'Monazos') {
            sorteo.status = 'OPEN';
            opened += 1;
          }
        }
        const summary = summaryOf<AutoOpenSummary>(await scheduler.runAt(job, at));
        expect(summary, context).to.deep.equal({ openedCount: opened, errorsCount: 0, executedAt: at.toISOString(), success: true });
        expect(payloadOf(scheduler.logged('SORTEOS_AUTO_OPEN_COMPLETE').at(-1)), context).to.deep.equal(summary);
        expectedRuns.push({ job_name: job, status: 'SUCCESS', processed_count: opened });

        if (today === SALES_DAY) {
          // Sales of the day: a live ticket on the 16:30, only cancelled and excluded ones on the others.
          await sell(world, seller, 'Tiempos 16:30', SALES_DAY, 'ACTIVE', model);
          await sell(world, seller, 'Tiempos 12:55', SALES_DAY, 'CANCELLED', model);
          await sell(world, seller, 'Tiempos 19:30', SALES_DAY, 'EXCLUDED', model);
        }
      }

      if (job === 'sorteos.auto-close') {
        let closed = 0;
        for (const sorteo of model.values()) {
          if (sorteo.status === 'OPEN' && new Date(sorteo.at) <= at && !sorteo.live) {
            sorteo.status = 'CLOSED';
            closed += 1;
          }
        }
        const summary = summaryOf<AutoCloseSummary>(await scheduler.runAt(job, at));
        expect(summary, context).to.deep.equal({ closedCount: closed, errorsCount: 0, executedAt: at.toISOString(), success: true });
        expect(payloadOf(scheduler.logged('SORTEOS_AUTO_CLOSE_COMPLETE').at(-1)), context).to.deep.equal(summary);
        expectedRuns.push({ job_name: job, status: 'SUCCESS', processed_count: closed });
      }

      expect(await sorteosInDatabase(world), context).to.deep.equal(sortedModel(model));
    }

    // The facts an operator checks, read from the database.
    const rows = await sorteosInDatabase(world);
    const statusOf = (name: string, crDay: string) => rows.find((r) => r.name === name && r.crDay === crDay)?.status;
    expect(statusOf('Tiempos 12:55', '2025-06-05')).to.equal('CLOSED');
    expect(statusOf('Tiempos 16:30', SALES_DAY), 'a sorteo with a live ticket is never auto-closed').to.equal('OPEN');
    expect(statusOf('Tiempos 12:55', SALES_DAY), 'cancelled tickets are not sales').to.equal('CLOSED');
    expect(statusOf('Tiempos 19:30', SALES_DAY), 'excluded tickets are not sales').to.equal('CLOSED');
    expect(rows.filter((r) => r.loteria === 'Monazos').map((r) => r.status)).to.satisfy((s: string[]) => s.length > 0 && s.every((x) => x === 'SCHEDULED'));
    expect(rows.filter((r) => r.loteria === 'Rota' || r.loteria === 'Pausada')).to.deep.equal([]);
    expect(rows.filter((r) => r.loteria === 'Nica').map((r) => r.crDay)).to.include.members(['2025-06-04', '2025-06-07', '2025-06-14']).and.not.include('2025-06-11');
    const [{ duplicates }] = (await world.knex.raw(
      `SELECT count(*)::int AS duplicates FROM (SELECT loteria_id, name, (scheduled_at AT TIME ZONE 'America/Costa_Rica')::date FROM sorteos GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
    )).rows as Array<{ duplicates: number }>;
    expect(duplicates).to.equal(0);

    // One cron_runs row per run, in order, and every lock released.
    expect((await world.cronRuns()).map(({ job_name, status, processed_count }) => ({ job_name, status, processed_count }))).to.deep.equal(expectedRuns);
    const redis = new Redis(world.redis.url);
    try {
      expect(await redis.keys(`${world.redis.prefix}*`)).to.deep.equal([]);
    } finally {
      redis.disconnect();
    }
  });
});

/** The draws of every auto-create lottery on the CR days `[firstDay, lastDay]`, read from the specs. */
function expectedOccurrences(firstDay: string, lastDay: string): ModelSorteo[] {
  const occurrences: ModelSorteo[] = [];
  for (const spec of LOTERIAS) {
    if (!spec.draws || spec.autoCreateEnabled === false) continue;
    for (let day = firstDay; day <= lastDay; day = addCRDays(day, 1)) {
      if (spec.draws.daysOfWeek && !spec.draws.daysOfWeek.includes(dayOfWeek(day))) continue;
      if (spec.draws.exceptDates?.includes(day)) continue;
      for (const time of spec.draws.times) {
        occurrences.push({ loteria: spec.name, name: `${spec.name} ${time}`, at: crLocalToInstant(day, time).toISOString(), crDay: day, status: 'SCHEDULED', live: false });
      }
    }
  }
  return occurrences;
}

interface SorteoView {
  loteria: string;
  name: string;
  at: string;
  crDay: string;
  status: string;
}

async function sorteosInDatabase(world: JobWorld): Promise<SorteoView[]> {
  const rows = (await world.knex('sorteos as s')
    .join('loterias as l', 'l.id', 's.loteria_id')
    .whereNot('l.name', 'like', 'Libro%')
    .select('l.name as loteria', 's.name', 's.scheduled_at', 's.status')) as Array<{ loteria: string; name: string; scheduled_at: Date; status: string }>;
  return rows
    .map((r) => ({ loteria: r.loteria, name: r.name, at: r.scheduled_at.toISOString(), crDay: toCRDateString(r.scheduled_at), status: r.status }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.loteria.localeCompare(b.loteria));
}

function sortedModel(model: Map<string, ModelSorteo>): SorteoView[] {
  return [...model.values()]
    .map(({ loteria, name, at, crDay, status }) => ({ loteria, name, at, crDay, status }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.loteria.localeCompare(b.loteria));
}

async function sorteoDays(world: JobWorld, loteria: string): Promise<string[]> {
  const rows = await sorteosInDatabase(world);
  return [...new Set(rows.filter((r) => r.loteria === loteria).map((r) => r.crDay))].sort();
}

async function sell(world: JobWorld, seller: { vendedorId: string | null; ventanaId: string | null; bancaId: string }, name: string, crDay: string, status: string, model: Map<string, ModelSorteo>) {
  const time = name.split(' ')[1]!;
  const at = crLocalToInstant(crDay, time);
  const sorteo = (await world.knex('sorteos').where({ name, scheduled_at: at }).first('id')) as { id: string } | undefined;
  if (!sorteo) throw new Error(`no sorteo ${name} on ${crDay}`);
  await world.knex('tickets').insert({
    sorteo_id: sorteo.id,
    vendedor_id: seller.vendedorId,
    ventana_id: seller.ventanaId,
    banca_id: seller.bancaId,
    business_date: crDay,
    status,
    total_amount: '1500.00',
  });
  if (status !== 'CANCELLED' && status !== 'EXCLUDED') model.get(keyOf(name.split(' ')[0]!, at.toISOString()))!.live = true;
}
