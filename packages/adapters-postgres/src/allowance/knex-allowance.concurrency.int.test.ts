import { expect } from 'chai';
import type { AllowanceSchedule } from '@banca/domain';
import { CONTRACT_ANCHOR, creditRequest, givenSchedule } from '@banca/domain/testing';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { knexAllowanceHarness } from './allowance.test-helpers';
import { KnexAllowanceLedger } from './knex-allowance-ledger';
import { KnexAllowanceScheduleRepository } from './knex-allowance-schedule.repository';

const minutes = (instant: Date, n: number) => new Date(instant.getTime() + n * 60_000);

/** Two pools on one database stand for two worker or producer processes. */
describe('allowance adapters under concurrency on real PostgreSQL', () => {
  let database: MigratedDatabase;
  const harness = () => knexAllowanceHarness(database.knex, async () => undefined);

  beforeEach(async () => {
    database = await createMigratedSchema('allowance_race');
  });
  afterEach(() => database.close());

  it('credits a run once and moves its money once when 20 workers in two processes credit it at once', async () => {
    const { guardianId, juniorId, schedule } = await givenSchedule(harness(), { balance: '100.00', amount: '10.00' });
    const ledgers = [new KnexAllowanceLedger(database.knex), new KnexAllowanceLedger(database.connectAgain())];
    const request = creditRequest(schedule, 0);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ledgers[i % 2]!.creditRun(request)));
    expect(results.filter((r) => r.outcome === 'credited')).to.have.length(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).to.have.length(19);
    expect([await harness().balanceOf(guardianId), await harness().balanceOf(juniorId)]).to.deep.equal(['90.00', '10.00']);
    expect(await harness().credits()).to.have.length(1);
    expect(await harness().transactions()).to.have.length(1);
  });

  it('never overdraws a guardian whose runs are credited at once: exactly what the balance covers is paid', async () => {
    const first = await givenSchedule(harness(), { balance: '35.00', amount: '10.00' });
    const second = await givenSchedule(harness(), { guardianId: first.guardianId, amount: '10.00' });
    const ledgers = [new KnexAllowanceLedger(database.knex), new KnexAllowanceLedger(database.connectAgain())];
    const requests = [0, 1, 2, 3].flatMap((k) => [creditRequest(first.schedule, k), creditRequest(second.schedule, k)]);
    const results = await Promise.all(requests.map((request, i) => ledgers[i % 2]!.creditRun(request)));
    expect(results.filter((r) => r.outcome === 'credited')).to.have.length(3);
    expect(results.filter((r) => r.outcome === 'insufficient_funds')).to.have.length(5);
    expect(await harness().balanceOf(first.guardianId)).to.equal('5.00');
    expect(await harness().credits()).to.have.length(3);
    expect(await harness().transactions()).to.have.length(3);
  });

  it('never hands one schedule to two producers paging at once, and together they claim every due one', async () => {
    const due: AllowanceSchedule[] = [];
    const guardianId = await harness().givenGuardian({ balance: '0.00' });
    for (let i = 0; i < 40; i += 1) {
      due.push((await givenSchedule(harness(), { guardianId, anchorAt: minutes(CONTRACT_ANCHOR, -(i % 7)) })).schedule);
    }
    const now = minutes(CONTRACT_ANCHOR, 1);
    const producers = [new KnexAllowanceScheduleRepository(database.knex), new KnexAllowanceScheduleRepository(database.connectAgain())];
    const claimAll = async (schedules: KnexAllowanceScheduleRepository): Promise<string[]> => {
      const ids: string[] = [];
      let after: { nextRunAt: Date; id: string } | null = null;
      for (;;) {
        const page = await schedules.claimDueRuns({ now, after, limit: 3, leaseUntil: minutes(now, 30) });
        if (page.length === 0) return ids;
        ids.push(...page.map((s) => s.id));
        const last = page[page.length - 1]!;
        after = { nextRunAt: last.nextRunAt, id: last.id };
      }
    };
    const claimed = (await Promise.all([...producers, ...producers].map(claimAll))).flat();
    expect(new Set(claimed).size).to.equal(claimed.length);
    expect(claimed).to.have.members(due.map((s) => s.id));
  });
});
