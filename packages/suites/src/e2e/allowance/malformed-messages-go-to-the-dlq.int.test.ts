import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { allowanceMessageId } from '@banca/domain';
import { eventually, useAllowanceWorlds } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('allowance e2e: malformed and unknown messages', () => {
  const worlds = useAllowanceWorlds();

  it('go straight to the DLQ, nothing retried and no money moved, while the worker keeps crediting good runs', async () => {
    const world = await worlds.create({ label: 'malformed', maxRetries: 5 });
    const guardianId = await world.givenGuardian('300.00');
    const juniorId = await world.givenJunior(guardianId);
    const offJuniorId = await world.givenJunior(guardianId);
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const scheduleId = await world.givenSchedule({ guardianId, juniorId, amount: '30.00', frequency: 'DAILY', anchorAt });
    const offScheduleId = await world.givenSchedule({ guardianId, juniorId: offJuniorId, amount: '30.00', frequency: 'DAILY', anchorAt, status: 'OFF' });
    const body = (scheduleId: string, runAt: Date | string) => JSON.stringify({ scheduleId, runAt: typeof runAt === 'string' ? runAt : runAt.toISOString() });
    const unknownId = randomUUID();
    const future = new Date(anchorAt.getTime() + DAY);

    const poison: Array<{ messageId: string; body: string; code: RegExp }> = [
      { messageId: 'not-json', body: 'not json {', code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'nul-byte', body: 'a NUL \u0000 PostgreSQL text cannot hold', code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'missing-run-at', body: JSON.stringify({ scheduleId }), code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'extra-field', body: JSON.stringify({ scheduleId, runAt: anchorAt.toISOString(), amount: '1000000.00' }), code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'not-an-object', body: JSON.stringify([scheduleId, anchorAt.toISOString()]), code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'bad-instant', body: body(scheduleId, 'yesterday'), code: /^TIME\.INVALID_INSTANT/ },
      { messageId: 'bad-id', body: body("1' OR '1'='1", anchorAt), code: /^VALIDATION\.INVALID_INPUT/ },
      { messageId: 'unknown-schedule', body: body(unknownId, anchorAt), code: /^ALLOWANCE\.NOT_FOUND/ },
      { messageId: 'not-an-occurrence', body: body(scheduleId, new Date(anchorAt.getTime() + 60_000)), code: /^ALLOWANCE\.INVALID_RUN/ },
      { messageId: 'in-the-future', body: body(scheduleId, future), code: /^ALLOWANCE\.INVALID_RUN/ },
      { messageId: 'schedule-off', body: body(offScheduleId, anchorAt), code: /^ALLOWANCE\.INVALID_RUN/ },
    ];
    for (const message of poison) await world.publishRaw(message.body, { messageId: message.messageId });
    await world.publishRaw(body(scheduleId, anchorAt), { messageId: allowanceMessageId(scheduleId, anchorAt) });

    await eventually(async () => (await world.balanceOf(juniorId)) === '30.00', 'the good run after the poison to be credited');
    await eventually(async () => (await world.deadLetters()).length === poison.length, 'every poison message in the DLQ, recorded');
    expect(world.logged('ALLOWANCE_RUN_RETRY'), 'nothing malformed is retried').to.deep.equal([]);
    expect(world.logged('ALLOWANCE_RUN_REJECTED')).to.have.length(poison.length);
    expect(world.settled.filter((delivery) => delivery.disposition.action === 'dead-letter')).to.have.length(poison.length);

    // Each is a dead letter with its reason code: a run names its schedule and occurrence, a malformed body is kept as it came.
    const dead = await world.deadLetters();
    expect(dead.map((row) => row.message_id)).to.have.members(poison.map((message) => message.messageId));
    for (const message of poison) {
      const found = dead.find((row) => row.message_id === message.messageId)!;
      expect(found.reason_code, message.messageId).to.match(message.code);
      expect(found, message.messageId).to.deep.include({ attempts: 1, status: 'open' });
      const run = (() => {
        try {
          return JSON.parse(message.body) as { scheduleId?: unknown; runAt?: unknown };
        } catch {
          return null;
        }
      })();
      const namesARun = /^(unknown-schedule|not-an-occurrence|in-the-future|schedule-off)$/.test(message.messageId);
      if (namesARun) expect(found, message.messageId).to.deep.include({ schedule_id: run!.scheduleId, run_at: new Date(run!.runAt as string), raw_body: null });
      else expect(found, message.messageId).to.deep.include({ schedule_id: null, run_at: null, raw_body: message.body.split('\u0000').join('\uFFFD') });
    }
    await eventually(async () => (await world.depths()).deadLettered === 0, 'the DLQ emptied into the table');

    // The worker is still consuming: a later run of the same schedule is credited too.
    world.clock.advance(DAY);
    const next = await world.runProducer();
    expect(next.status === 'SUCCESS' && next.summary).to.include({ publishedCount: 1 });
    await eventually(async () => (await world.balanceOf(juniorId)) === '60.00', 'a later run to be credited');

    expect((await world.schedule(offScheduleId)).last_failed_run_at, 'a rejected run records no failure').to.equal(null);
    expect(await world.balanceOf(offJuniorId)).to.equal('0.00');
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '60.00' });
  });
});
