import { expect } from 'chai';
import { allowanceWorld, DAY, HOUR, later, T0 } from '../testing/allowance/allowance-world';
import type { AllowanceFrequency, AllowanceStatus } from './allowance-occurrences';
import { creditAllowanceRun, recordAllowanceRunFailure } from './credit-allowance-run.use-case';
import { createAllowanceSchedule } from './manage-allowance-schedules.use-case';
import { publishDueAllowanceRuns } from './publish-due-allowance-runs.use-case';

type World = ReturnType<typeof allowanceWorld>;

async function withSchedule(world: World, body: { amount?: string; frequency?: AllowanceFrequency; status?: AllowanceStatus } = {}) {
  return createAllowanceSchedule(world.deps, { ...world, body: { amount: '10.00', frequency: 'DAILY', status: 'ON', ...body } });
}

/** Publishes what is due, then hands every queued message to the worker use case. */
async function tick(world: World, missedRuns: 'all' | 'latest' = 'all') {
  const summary = await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR, missedRuns });
  const outcomes = [];
  for (const message of world.store.queue.drain()) outcomes.push(await creditAllowanceRun(world.deps, message));
  return { summary, outcomes };
}

describe('allowance runs: publishing and crediting', () => {
  it('credits a run published twice only once', async () => {
    const world = allowanceWorld();
    await withSchedule(world);
    await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR });
    world.clock.set(later(HOUR)); // the lease has expired: the same run is published again
    await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR });
    const messages = world.store.queue.drain();
    expect(messages).to.have.length(2);
    const outcomes = [];
    for (const message of messages) outcomes.push((await creditAllowanceRun(world.deps, message)).kind);
    expect(outcomes).to.deep.equal(['credited', 'duplicate']);
    expect([world.store.balanceOf(world.guardianId), world.store.balanceOf(world.juniorId)]).to.deep.equal(['90.00', '10.00']);
  });

  it('does not publish a leased schedule again, and reports its counts', async () => {
    const world = allowanceWorld();
    const juniors = [world.juniorId, ...[1, 2, 3, 4].map(() => world.store.givenJunior({ guardianId: world.guardianId }))];
    for (const juniorId of juniors) await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId, body: { amount: '1', frequency: 'DAILY', status: 'ON' } });
    const first = await publishDueAllowanceRuns(world.deps, { batchSize: 2, leaseMs: HOUR });
    expect(first).to.deep.equal({ publishedCount: 5, schedulesCount: 5, pagesCount: 3, errorsCount: 0, missedRuns: 'all', executedAt: T0.toISOString() });
    const second = await publishDueAllowanceRuns(world.deps, { batchSize: 2, leaseMs: HOUR });
    expect(second).to.include({ publishedCount: 0, schedulesCount: 0, pagesCount: 0 });
    expect(world.logger.entries).to.deep.equal([]);
    expect([world.store.balanceOf(world.guardianId)]).to.deep.equal(['100.00']);
  });

  it('keeps every published run leased: crediting one of them does not publish the others again', async () => {
    const world = allowanceWorld();
    await withSchedule(world);
    world.clock.set(later(2 * DAY + HOUR));
    const leaseMs = 6 * HOUR;
    expect((await publishDueAllowanceRuns(world.deps, { leaseMs })).publishedCount).to.equal(3);
    const [first, ...inFlight] = world.store.queue.drain();
    expect((await creditAllowanceRun(world.deps, first)).kind).to.equal('credited');
    expect((await publishDueAllowanceRuns(world.deps, { leaseMs })).publishedCount, 'runs 1 and 2 are in flight').to.equal(0);
    for (const message of inFlight) expect((await creditAllowanceRun(world.deps, message)).kind).to.equal('credited');
    world.clock.set(later(3 * DAY));
    // Every run of the lease is credited: the next one is published when due, not when the lease expires.
    expect((await publishDueAllowanceRuns(world.deps, { leaseMs })).publishedCount).to.equal(1);
    expect(world.store.queue.drain().map((m) => (m as { runAt: string }).runAt)).to.deep.equal([later(3 * DAY).toISOString()]);
  });

  it('gives the leases back when the broker refuses a publish, so the next producer run publishes them at once', async () => {
    const world = allowanceWorld();
    await withSchedule(world);
    const brokerDown = { publish: async () => Promise.reject(new Error('broker down')) };
    const failed = await publishDueAllowanceRuns({ ...world.deps, queue: brokerDown }, { leaseMs: HOUR }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failed?.message).to.equal('broker down');
    expect(world.logger.entries.map((e) => [e.action, e.payload])).to.deep.equal([['ALLOWANCE_LEASES_RELEASED', { released: 1, reason: 'broker down' }]]);
    expect((await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR })).publishedCount).to.equal(1);
  });

  it('publishes each missed run under "all" and only the latest under "latest"', async () => {
    const all = allowanceWorld();
    const allSchedule = await withSchedule(all);
    all.clock.set(later(3 * DAY + HOUR));
    const allRun = await tick(all, 'all');
    expect(allRun.outcomes.map((o) => o.kind)).to.deep.equal(['credited', 'credited', 'credited', 'credited']);
    expect(all.store.balanceOf(all.juniorId)).to.equal('40.00');
    expect(all.store.schedule(allSchedule.id)?.nextRunAt.toISOString()).to.equal(later(4 * DAY).toISOString());

    const latest = allowanceWorld();
    const latestSchedule = await withSchedule(latest);
    latest.clock.set(later(3 * DAY + HOUR));
    const latestRun = await tick(latest, 'latest');
    expect(latestRun.outcomes).to.have.length(1);
    expect(latest.store.credits().map((c) => c.runAt.toISOString())).to.deep.equal([later(3 * DAY).toISOString()]);
    expect(latest.store.schedule(latestSchedule.id)?.nextRunAt.toISOString()).to.equal(later(4 * DAY).toISOString());
  });

  it('makes insufficient funds retryable and writes nothing', async () => {
    const world = allowanceWorld('9.99');
    const schedule = await withSchedule(world);
    const outcome = await creditAllowanceRun(world.deps, { scheduleId: schedule.id, runAt: T0.toISOString() });
    expect(outcome).to.include({ kind: 'retryable', code: 'ALLOWANCE.INSUFFICIENT_FUNDS' });
    expect([world.store.balanceOf(world.guardianId), world.store.credits().length, world.store.transactions().length]).to.deep.equal(['9.99', 0, 0]);
  });

  it('rejects runs that can never be credited', async () => {
    const world = allowanceWorld();
    const on = await withSchedule(world);
    const offJunior = world.store.givenJunior({ guardianId: world.guardianId });
    const off = await createAllowanceSchedule(world.deps, { guardianId: world.guardianId, juniorId: offJunior, body: { amount: '1', frequency: 'DAILY', status: 'OFF' } });
    world.clock.set(later(HOUR));
    const cases: Array<[unknown, string]> = [
      ['not json', 'VALIDATION.INVALID_INPUT'],
      [{ scheduleId: on.id }, 'VALIDATION.INVALID_INPUT'],
      [{ scheduleId: on.id, runAt: T0.toISOString(), extra: 1 }, 'VALIDATION.INVALID_INPUT'],
      [{ scheduleId: on.id, runAt: '2025-03-03' }, 'TIME.INVALID_INSTANT'],
      [{ scheduleId: 'sch-999999', runAt: T0.toISOString() }, 'ALLOWANCE.NOT_FOUND'],
      [{ scheduleId: off.id, runAt: T0.toISOString() }, 'ALLOWANCE.INVALID_RUN'],
      [{ scheduleId: on.id, runAt: later(HOUR).toISOString() }, 'ALLOWANCE.INVALID_RUN'],
      [{ scheduleId: on.id, runAt: later(DAY).toISOString() }, 'ALLOWANCE.INVALID_RUN'],
    ];
    for (const [message, code] of cases) expect(await creditAllowanceRun(world.deps, message)).to.include({ kind: 'rejected', code });
    expect(world.store.credits()).to.deep.equal([]);
  });

  it('counts a schedule whose runs cannot be computed as an error and goes on with the others', async () => {
    const world = allowanceWorld();
    await withSchedule(world);
    const other = world.store.givenJunior({ guardianId: world.guardianId });
    // next_run_at between two occurrences: corrupt data, the next occurrence is not due yet.
    await world.store.schedules.create({ guardianId: world.guardianId, juniorId: other, amount: '1.00', frequency: 'DAILY', status: 'ON', anchorAt: T0, nextRunAt: later(HOUR), createdAt: T0 });
    world.clock.set(later(2 * HOUR));
    const summary = await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR });
    expect(summary).to.include({ publishedCount: 1, schedulesCount: 2, errorsCount: 1 });
    expect(world.logger.entries.map((e) => e.action)).to.include('ALLOWANCE_ENQUEUE_SCHEDULE_ERROR');
  });

  it('throws when the broker fails, and publishes the runs again once the lease expires', async () => {
    const world = allowanceWorld();
    await withSchedule(world);
    world.store.queue.failNext();
    const error = await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    world.clock.set(later(HOUR));
    expect((await publishDueAllowanceRuns(world.deps, { leaseMs: HOUR })).publishedCount).to.equal(1);
  });

  it('moves a schedule on after a run given up for good', async () => {
    const world = allowanceWorld('0.00');
    const schedule = await withSchedule(world);
    const message = { scheduleId: schedule.id, runAt: T0.toISOString() };
    const outcome = await recordAllowanceRunFailure(world.deps, message, 'insufficient funds after 5 attempts');
    expect(outcome).to.deep.equal({ kind: 'recorded', scheduleId: schedule.id, nextRunAt: later(DAY) });
    expect(world.store.schedule(schedule.id)).to.include({ lastFailureReason: 'insufficient funds after 5 attempts' });
    expect(await recordAllowanceRunFailure(world.deps, { scheduleId: 'sch-404', runAt: T0.toISOString() }, 'x')).to.include({ kind: 'rejected', code: 'ALLOWANCE.NOT_FOUND' });
  });
});
