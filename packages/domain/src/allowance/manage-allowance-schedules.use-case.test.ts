import { expect } from 'chai';
import { DomainError } from '../kernel/domain-error';
import type { NewAllowanceSchedule } from './allowance.ports';
import { allowanceWorld, DAY, HOUR, later, T0 } from '../testing/allowance/allowance-world';
import {
  createAllowanceSchedule,
  deleteAllowanceSchedule,
  getAllowanceSchedule,
  listAllowanceSchedules,
  updateAllowanceSchedule,
} from './manage-allowance-schedules.use-case';
import { publishDueAllowanceRuns } from './publish-due-allowance-runs.use-case';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (error instanceof DomainError) return error.code;
  throw new Error(`expected a DomainError, got ${String(error)}`);
}

describe('allowance schedule use cases', () => {
  it('creates a schedule whose first run is now, or startAt when given', async () => {
    const world = allowanceWorld();
    const now = await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: world.juniorId, body: { amount: 5, frequency: 'DAILY', status: 'ON' } });
    expect(now).to.include({ amount: '5.00', status: 'ON' });
    expect(now.nextRunAt.getTime()).to.equal(T0.getTime());
    const other = world.store.givenJunior({ guardianId: world.guardianId });
    const startAt = later(2 * DAY).toISOString();
    const scheduled = await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: other, body: { amount: '5', frequency: 'WEEKLY', status: 'ON', startAt } });
    expect(scheduled.nextRunAt.toISOString()).to.equal(startAt);
    expect(scheduled.anchorAt.toISOString()).to.equal(startAt);
  });

  it('refuses another guardian\'s junior, a malformed junior id and a second schedule for a junior', async () => {
    const world = allowanceWorld();
    const body = { amount: '5.00', frequency: 'DAILY', status: 'ON' };
    const stranger = world.store.givenGuardian({ balance: '0' });
    expect(await codeOf(createAllowanceSchedule(world.deps, { guardianId: stranger, juniorId: world.juniorId, body }))).to.equal('JUNIOR.NOT_FOUND');
    expect(await codeOf(createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: '../x', body }))).to.equal('JUNIOR.NOT_FOUND');
    await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: world.juniorId, body });
    expect(await codeOf(createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: world.juniorId, body }))).to.equal('ALLOWANCE.ALREADY_EXISTS');
  });

  it('leaves the ownership check to the one create call, and never hands it a malformed junior id', async () => {
    const world = allowanceWorld();
    const calls: NewAllowanceSchedule[] = [];
    const schedules = { create: (schedule: NewAllowanceSchedule) => (calls.push(schedule), world.store.schedules.create(schedule)) };
    const body = { amount: '5.00', frequency: 'DAILY', status: 'ON' };
    const stranger = world.store.givenGuardian({ balance: '0' });
    const refused = await createAllowanceSchedule({ schedules, clock: world.clock }, { guardianId: stranger, juniorId: world.juniorId, body }).then(() => null, (e: unknown) => e);
    expect(refused).to.deep.include({ code: 'JUNIOR.NOT_FOUND', message: 'junior not found', details: { juniorId: world.juniorId } });
    expect(await codeOf(createAllowanceSchedule({ schedules, clock: world.clock }, { guardianId: world.guardianId, juniorId: '../x', body }))).to.equal('JUNIOR.NOT_FOUND');
    expect(calls.map((c) => [c.guardianId, c.juniorId])).to.deep.equal([[stranger, world.juniorId]]);
    await createAllowanceSchedule({ schedules, clock: world.clock }, { guardianId: world.guardianId, juniorId: world.juniorId, body });
    expect(calls).to.have.length(2);
    expect(await listAllowanceSchedules(world.deps, { guardianId: stranger })).to.deep.equal([]);
  });

  it('hides a schedule from any other guardian', async () => {
    const world = allowanceWorld();
    const schedule = await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: world.juniorId, body: { amount: '5', frequency: 'DAILY', status: 'ON' } });
    const stranger = { guardianId: world.store.givenGuardian({ balance: '0' }), scheduleId: schedule.id };
    expect(await codeOf(getAllowanceSchedule(world.deps, stranger))).to.equal('ALLOWANCE.NOT_FOUND');
    expect(await codeOf(updateAllowanceSchedule(world.deps, { ...stranger, body: { status: 'OFF' } }))).to.equal('ALLOWANCE.NOT_FOUND');
    expect(await codeOf(deleteAllowanceSchedule(world.deps, stranger))).to.equal('ALLOWANCE.NOT_FOUND');
    expect(await listAllowanceSchedules(world.deps, stranger)).to.deep.equal([]);
    await deleteAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: schedule.id });
    expect(await listAllowanceSchedules(world.deps, world)).to.deep.equal([]);
  });

  it('resumes after OFF at the first occurrence at or after now: paused time is not paid', async () => {
    const world = allowanceWorld();
    const ref = { guardianId: world.guardianId, scheduleId: '' };
    ref.scheduleId = (await createAllowanceSchedule(world.deps, { ...world, body: { amount: '1.00', frequency: 'DAILY', status: 'OFF' } })).id;
    world.clock.set(later(3 * DAY + 2 * HOUR));
    const resumed = await updateAllowanceSchedule(world.deps, { ...ref, body: { status: 'ON' } });
    expect(resumed.nextRunAt.toISOString()).to.equal(later(4 * DAY).toISOString());
    world.clock.set(later(4 * DAY + HOUR));
    await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR, missedRuns: 'all' });
    expect(world.store.queue.published.map((m) => m.runAt)).to.deep.equal([later(4 * DAY).toISOString()]);
  });

  it('on a frequency change keeps the promised next run and counts the new rhythm from it', async () => {
    const world = allowanceWorld();
    const schedule = await createAllowanceSchedule(world.deps, { ...world, body: { amount: '1.00', frequency: 'WEEKLY', status: 'ON', startAt: later(DAY).toISOString() } });
    world.clock.set(later(HOUR));
    const changed = await updateAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: schedule.id, body: { frequency: 'MONTHLY', amount: '2' } });
    expect(changed).to.include({ frequency: 'MONTHLY', amount: '2.00' });
    expect(changed.anchorAt.toISOString()).to.equal(later(DAY).toISOString());
    expect(changed.nextRunAt.toISOString()).to.equal(later(DAY).toISOString());
  });

  it('leaves the timing alone on an amount change', async () => {
    const world = allowanceWorld();
    const schedule = await createAllowanceSchedule(world.deps, { ...world, body: { amount: '1.00', frequency: 'DAILY', status: 'ON' } });
    world.clock.set(later(HOUR));
    const changed = await updateAllowanceSchedule(world.deps, { guardianId: world.guardianId, scheduleId: schedule.id, body: { amount: '3.50' } });
    expect(changed.amount).to.equal('3.50');
    expect(changed.anchorAt.getTime()).to.equal(schedule.anchorAt.getTime());
    expect(changed.nextRunAt.getTime()).to.equal(schedule.nextRunAt.getTime());
    expect(changed.updatedAt.toISOString()).to.equal(later(HOUR).toISOString());
  });
});
