import { expect } from 'chai';
import { allowanceWorld, T0 } from '../testing/allowance/allowance-world';
import type { AllowanceDelivery } from './allowance-transport.port';
import { handleAllowanceDeliveries } from './handle-allowance-delivery.use-case';
import { createAllowanceSchedule } from './manage-allowance-schedules.use-case';

const delivery = (body: unknown, previousAttempts = 0): AllowanceDelivery => ({
  messageId: 'm',
  body,
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  previousAttempts,
});

async function world(balance = '100.00', amount = '10.00') {
  const w = allowanceWorld(balance);
  const schedule = await createAllowanceSchedule(w.deps, { guardianId: w.guardianId, juniorId: w.juniorId, body: { amount, frequency: 'DAILY', status: 'ON' } });
  const outcomes: string[] = [];
  const handle = handleAllowanceDeliveries({ ...w.deps, maxRetries: 2, onOutcome: (o) => outcomes.push(o) });
  const run = { scheduleId: schedule.id, runAt: T0.toISOString() };
  return { ...w, schedule, handle, run, outcomes };
}

describe('handleAllowanceDeliveries', () => {
  it('acks a credited run and a duplicate of it, moving money once', async () => {
    const w = await world();
    expect(await w.handle(delivery(w.run))).to.deep.equal({ action: 'ack' });
    expect(await w.handle(delivery(w.run))).to.deep.equal({ action: 'ack' });
    expect(w.outcomes).to.deep.equal(['credited', 'duplicate']);
    expect([w.store.balanceOf(w.guardianId), w.store.balanceOf(w.juniorId)]).to.deep.equal(['90.00', '10.00']);
  });

  it('dead-letters malformed and unknown messages at once, with the reason', async () => {
    const w = await world();
    const notJson = await w.handle(delivery('not json'));
    expect(notJson).to.deep.include({ action: 'dead-letter', code: 'VALIDATION.INVALID_INPUT' });
    const unknown = await w.handle(delivery({ scheduleId: 'no-such-schedule', runAt: T0.toISOString() }));
    expect(unknown).to.deep.include({ action: 'dead-letter', code: 'ALLOWANCE.NOT_FOUND' });
    expect((unknown as { reason: string }).reason).to.match(/^ALLOWANCE.NOT_FOUND/);
    const notAnOccurrence = await w.handle(delivery({ ...w.run, runAt: new Date(T0.getTime() + 60_000).toISOString() }));
    expect((notAnOccurrence as { reason: string }).reason).to.match(/^ALLOWANCE.INVALID_RUN/);
    expect(w.store.credits()).to.deep.equal([]);
  });

  it('retries insufficient funds until the maxRetries-th attempt (the first delivery counts), then records the failure, moves the schedule on and dead-letters', async () => {
    const w = await world('5.00', '10.00');
    expect((await w.handle(delivery(w.run, 0))).action).to.equal('retry');
    const last = await w.handle(delivery(w.run, 1));
    expect(last).to.deep.include({ action: 'dead-letter', code: 'ALLOWANCE.INSUFFICIENT_FUNDS' });
    expect((last as { reason: string }).reason).to.contain('gave up after 2 attempts: ALLOWANCE.INSUFFICIENT_FUNDS');
    const stored = w.store.schedule(w.schedule.id)!;
    expect(stored.nextRunAt.getTime()).to.equal(T0.getTime() + 86_400_000);
    expect(stored.lastFailedRunAt?.getTime()).to.equal(T0.getTime());
    expect(w.store.balanceOf(w.guardianId)).to.equal('5.00');
    expect(w.outcomes).to.deep.equal(['retried', 'dead-lettered']);
  });

  it('with maxRetries 1, the first failure goes to the DLQ', async () => {
    const w = await world('5.00', '10.00');
    const once = handleAllowanceDeliveries({ ...w.deps, maxRetries: 1 });
    expect((await once(delivery(w.run, 0))).action).to.equal('dead-letter');
  });

  it('retries an infrastructure failure instead of losing the run', async () => {
    const w = await world();
    const failing = handleAllowanceDeliveries({
      ...w.deps,
      schedules: { findById: async () => Promise.reject(new Error('Connection terminated unexpectedly')) },
      maxRetries: 5,
    });
    expect(await failing(delivery(w.run))).to.deep.equal({ action: 'retry', reason: 'Connection terminated unexpectedly' });
  });

  it('gives up on a run whose credit kept failing outside the rules with the worker-error code', async () => {
    const w = await world();
    const failing = handleAllowanceDeliveries({
      ...w.deps,
      ledger: { creditRun: async () => Promise.reject(new Error('Connection terminated unexpectedly')), recordRunFailure: (failure) => w.deps.ledger.recordRunFailure(failure) },
      maxRetries: 2,
    });
    expect(await failing(delivery(w.run, 1))).to.deep.equal({
      action: 'dead-letter',
      code: 'ALLOWANCE.WORKER_ERROR',
      reason: 'gave up after 2 attempts: Connection terminated unexpectedly',
    });
  });
});
