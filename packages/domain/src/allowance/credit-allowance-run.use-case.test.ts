import { expect } from 'chai';
import { allowanceWorld, DAY, HOUR, later, T0 } from '../testing/allowance/allowance-world';
import type { AllowanceRunMessage } from './allowance-message';
import type { AllowanceLedger, AllowanceScheduleRepository } from './allowance.ports';
import { creditAllowanceRun } from './credit-allowance-run.use-case';
import { createAllowanceSchedule, deleteAllowanceSchedule, updateAllowanceSchedule } from './manage-allowance-schedules.use-case';
import { publishDueAllowanceRuns } from './publish-due-allowance-runs.use-case';

type World = ReturnType<typeof allowanceWorld>;

/** The world's ports, counting the worker's reads of a schedule. */
function countingReads(world: World) {
  const counter = { reads: 0 };
  const schedules: Pick<AllowanceScheduleRepository, 'findById'> = {
    findById: (id) => {
      counter.reads += 1;
      return world.store.schedules.findById(id);
    },
  };
  return { counter, deps: { schedules, ledger: world.store.ledger, clock: world.clock } };
}

async function publishedRun(world: World, amount = '10.00') {
  const schedule = await createAllowanceSchedule(world.deps, { ...world, body: { amount, frequency: 'DAILY', status: 'ON' } });
  await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR });
  const [message, ...others] = world.store.queue.drain();
  expect(others).to.deep.equal([]);
  return { schedule, message: message! };
}

const balances = (world: World) => [world.store.balanceOf(world.guardianId), world.store.balanceOf(world.juniorId)];

describe('creditAllowanceRun with the terms the run was published with', () => {
  it('publishes each run with its schedule terms and credits it without reading the schedule', async () => {
    const world = allowanceWorld();
    const { schedule, message } = await publishedRun(world, '12.50');
    expect(message.terms).to.deep.equal({ guardianId: world.guardianId, juniorId: world.juniorId, amount: '12.50', frequency: 'DAILY', anchorAt: T0.toISOString() });
    const { counter, deps } = countingReads(world);
    expect(await creditAllowanceRun(deps, message)).to.include({ kind: 'credited', scheduleId: schedule.id });
    expect(counter.reads).to.equal(0);
    expect(balances(world)).to.deep.equal(['87.50', '12.50']);
    expect((await world.store.schedules.findById(schedule.id))?.nextRunAt.getTime()).to.equal(later(DAY).getTime());
  });

  it('credits the amount stored when the guardian changed it after the run was published', async () => {
    const world = allowanceWorld();
    const { schedule, message } = await publishedRun(world);
    await updateAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: schedule.id, body: { amount: '25.00' } });
    const { counter, deps } = countingReads(world);
    expect(await creditAllowanceRun(deps, message)).to.include({ kind: 'credited' });
    expect(counter.reads).to.equal(1);
    expect(balances(world)).to.deep.equal(['75.00', '25.00']);
    expect(world.store.credits().map((c) => c.amount)).to.deep.equal(['25.00']);
  });

  it('rejects a run of a schedule turned OFF or deleted after publishing, with the code a read gives', async () => {
    const world = allowanceWorld();
    const off = await publishedRun(world);
    await updateAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: off.schedule.id, body: { status: 'OFF' } });
    expect(await creditAllowanceRun(world.deps, off.message)).to.include({ kind: 'rejected', code: 'ALLOWANCE.INVALID_RUN' });
    await deleteAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: off.schedule.id });
    expect(await creditAllowanceRun(world.deps, off.message)).to.include({ kind: 'rejected', code: 'ALLOWANCE.NOT_FOUND' });
    expect(balances(world)).to.deep.equal(['100.00', '0.00']);
  });

  it('believes no terms over the stored schedule: another amount, guardian or rhythm moves what is stored, once', async () => {
    const world = allowanceWorld();
    const { message } = await publishedRun(world);
    const stranger = world.store.givenGuardian({ balance: '500.00' });
    const forged: Array<AllowanceRunMessage['terms']> = [
      { ...message.terms!, amount: '99.00' },
      { ...message.terms!, guardianId: stranger },
      { ...message.terms!, frequency: 'WEEKLY' },
      // runAt is not an occurrence of these terms: the schedule is read before anything is tried.
      { ...message.terms!, anchorAt: later(HOUR).toISOString() },
    ];
    const outcomes = [];
    for (const terms of forged) outcomes.push((await creditAllowanceRun(world.deps, { ...message, terms })).kind);
    expect(outcomes).to.deep.equal(['credited', 'duplicate', 'duplicate', 'duplicate']);
    expect(balances(world)).to.deep.equal(['90.00', '10.00']);
    expect(world.store.balanceOf(stranger)).to.equal('500.00');
  });

  it('sends a run whose schedule keeps changing to the retry queue after three reads', async () => {
    const world = allowanceWorld();
    const { message } = await publishedRun(world);
    let calls = 0;
    const ledger: Pick<AllowanceLedger, 'creditRun'> = {
      creditRun: async () => {
        calls += 1;
        return { outcome: 'changed' };
      },
    };
    const { counter, deps } = countingReads(world);
    const outcome = await creditAllowanceRun({ ...deps, ledger }, message);
    expect(outcome).to.include({ kind: 'retryable', code: 'ALLOWANCE.SCHEDULE_CHANGED' });
    expect([calls, counter.reads]).to.deep.equal([4, 3]);
  });

  it('refuses malformed terms as a malformed message', async () => {
    const world = allowanceWorld();
    const { message } = await publishedRun(world);
    const terms = message.terms!;
    const cases: Array<[unknown, string]> = [
      [{ ...terms, extra: 1 }, 'VALIDATION.INVALID_INPUT'],
      [{ ...terms, frequency: 'HOURLY' }, 'VALIDATION.INVALID_INPUT'],
      [{ ...terms, juniorId: 'a b' }, 'VALIDATION.INVALID_INPUT'],
      [{ ...terms, amount: 10 }, 'VALIDATION.INVALID_INPUT'],
      [{ ...terms, amount: '-1.00' }, 'MONEY.INVALID_AMOUNT'],
      [{ ...terms, anchorAt: '2025-03-03' }, 'TIME.INVALID_INSTANT'],
      ['terms', 'VALIDATION.INVALID_INPUT'],
      [null, 'VALIDATION.INVALID_INPUT'],
    ];
    for (const [bad, code] of cases) {
      expect(await creditAllowanceRun(world.deps, { scheduleId: message.scheduleId, runAt: message.runAt, terms: bad }), JSON.stringify(bad)).to.include({ kind: 'rejected', code });
    }
    expect(world.store.credits()).to.deep.equal([]);
  });
});
