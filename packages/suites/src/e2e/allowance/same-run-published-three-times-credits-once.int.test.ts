import { expect } from 'chai';
import { allowanceRunMessage } from '@banca/domain';
import { eventually, useAllowanceWorlds } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;

describe('allowance e2e: the same run published three times', () => {
  const worlds = useAllowanceWorlds();

  it('is credited once by two workers racing on it; the other copies are acked as duplicates', async () => {
    const world = await worlds.create({ label: 'thrice', workers: 2, startWorkers: false });
    const guardianId = await world.givenGuardian('500.00');
    const juniorId = await world.givenJunior(guardianId, '10.00');
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const scheduleId = await world.givenSchedule({ guardianId, juniorId, amount: '75.25', frequency: 'DAILY', anchorAt });

    const first = await world.runProducer();
    expect(first).to.deep.include({ status: 'SUCCESS' });
    expect(first.status === 'SUCCESS' && first.summary).to.include({ publishedCount: 1 });
    const leased = await world.runProducer();
    expect(leased.status === 'SUCCESS' && leased.summary, 'the lease keeps a published run from being published again').to.include({ publishedCount: 0 });
    expect((await world.schedule(scheduleId)).lease_until).to.be.instanceOf(Date);

    // Again as the producer writes it, and once more with the same instant written in CR time.
    const message = allowanceRunMessage(scheduleId, anchorAt);
    await world.transport.publisher.publish([message]);
    const crSpelling = new Date(anchorAt.getTime() - 6 * HOUR).toISOString().replace('Z', '-06:00');
    await world.publishRaw(JSON.stringify({ scheduleId, runAt: crSpelling }), { messageId: `${scheduleId}:${crSpelling}` });
    expect((await world.depths()).ready).to.equal(3);

    await world.startWorkers();
    await eventually(() => world.settled.length === 3, 'the three copies to be settled');
    expect(world.settled.map((delivery) => delivery.messageId)).to.have.members([message.messageId, message.messageId, `${scheduleId}:${crSpelling}`]);
    expect(world.settled.map((delivery) => delivery.disposition.action)).to.deep.equal(['ack', 'ack', 'ack']);
    expect(world.logged('ALLOWANCE_CREDITED')).to.have.length(1);
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN')).to.have.length(2);

    expect(await world.creditsOf(scheduleId)).to.deep.equal([{ runAt: anchorAt, amount: '75.25' }]);
    expect(await world.balanceOf(juniorId)).to.equal('85.25');
    expect(await world.balanceOf(guardianId)).to.equal('424.75');
    const schedule = await world.schedule(scheduleId);
    expect(schedule.last_run_at).to.deep.equal(anchorAt);
    expect(schedule.leased_through, 'the lease covered the credited run only').to.deep.equal(anchorAt);
    expect(schedule.next_run_at.getTime(), 'so it is spent').to.be.greaterThan(schedule.leased_through!.getTime());
    expect(schedule.next_run_at.getTime()).to.be.greaterThan(world.clock.now().getTime());

    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 1, creditsTotal: '75.25' });
  });
});
