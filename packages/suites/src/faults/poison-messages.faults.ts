/// <reference types="mocha" />
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { allowanceMessageId, isDomainError, parseAllowanceMessage } from '@banca/domain';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { creditCount, waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const COPIES = Number(process.env['FAULTS_POISON_COPIES'] ?? 20);
const GOOD = Number(process.env['FAULTS_POISON_GOOD'] ?? 300);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `scheduleId:runAt` of a body that names a run as the worker reads it, else null. */
function runKeyOf(body: string): string | null {
  try {
    const run = parseAllowanceMessage(body);
    return allowanceMessageId(run.scheduleId, run.runAt);
  } catch (error) {
    if (isDomainError(error)) return null;
    throw error;
  }
}

describe('faults: poison messages of every kind', function () {
  this.timeout(600_000);
  let world: AllowanceWorld | null = null;

  after(async () => {
    await world?.close();
  });

  it('go straight to the DLQ with their reason, nothing retried and no money moved, while good runs are credited', async () => {
    const report = startScenario('poison messages of every kind');
    world = await createAllowanceWorld({ label: 'f_poison', workers: 2, maxRetries: 5, startWorkers: false });
    const w = world;
    const anchorAt = new Date(w.clock.now().getTime() - HOUR);
    const ids = await w.givenManySchedules({ guardians: 5, juniors: GOOD, guardianBalance: '100000.00', amount: '7.07', frequency: 'DAILY', anchorAt });
    const guardianId = await w.givenGuardian('100.00');
    const offScheduleId = await w.givenSchedule({ guardianId, juniorId: await w.givenJunior(guardianId), amount: '1.00', frequency: 'DAILY', anchorAt, status: 'OFF' });
    const target = ids[0]!;
    const body = (scheduleId: string, runAt: string) => JSON.stringify({ scheduleId, runAt });
    const kinds: Array<{ kind: string; make: (n: number) => string; code: RegExp }> = [
      { kind: 'not JSON', make: (n) => `not json {${n}`, code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'empty body', make: () => '', code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'JSON null', make: () => 'null', code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'missing runAt', make: () => JSON.stringify({ scheduleId: target }), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'missing scheduleId', make: () => JSON.stringify({ runAt: anchorAt.toISOString() }), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'extra field', make: () => JSON.stringify({ scheduleId: target, runAt: anchorAt.toISOString(), amount: '999999.00' }), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'wrong types', make: (n) => JSON.stringify({ scheduleId: n, runAt: true }), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'array', make: () => JSON.stringify([target, anchorAt.toISOString()]), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'bad instant', make: () => body(target, 'yesterday'), code: /^TIME\.INVALID_INSTANT/ },
      { kind: 'bad id', make: () => body("1' OR '1'='1", anchorAt.toISOString()), code: /^VALIDATION\.INVALID_INPUT/ },
      { kind: 'unknown schedule', make: () => body(randomUUID(), anchorAt.toISOString()), code: /^ALLOWANCE\.NOT_FOUND/ },
      { kind: 'run not an occurrence', make: (n) => body(ids[n % ids.length]!, new Date(anchorAt.getTime() + 60_000 * (n + 1)).toISOString()), code: /^ALLOWANCE\.INVALID_RUN/ },
      { kind: 'run in the future', make: (n) => body(ids[n % ids.length]!, new Date(anchorAt.getTime() + DAY * (n + 1)).toISOString()), code: /^ALLOWANCE\.INVALID_RUN/ },
      { kind: 'schedule OFF', make: () => body(offScheduleId, anchorAt.toISOString()), code: /^ALLOWANCE\.INVALID_RUN/ },
    ];
    const poison: Array<{ messageId: string; kind: string; code: RegExp; run: string | null }> = [];
    for (let n = 0; n < COPIES; n++) {
      for (const [k, kind] of kinds.entries()) {
        const messageId = `poison-${k}-${n}`;
        const made = kind.make(n);
        await w.publishRaw(made, { messageId });
        poison.push({ messageId, kind: kind.kind, code: kind.code, run: runKeyOf(made) });
      }
    }
    // One dead letter per run (the copies of the OFF schedule's run are one), one per malformed message.
    const expectedDeadLetters = new Set(poison.map((message) => message.run ?? message.messageId)).size;
    const produced = await w.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: GOOD });
    await w.startWorkers();
    await waitFor(async () => (await creditCount(w.knex)) === GOOD && (await w.deadLetters()).length === expectedDeadLetters, 'good runs credited and poison dead letters recorded', 300_000);
    await w.stopWorkers();

    // Each poison message is one dead letter, with its reason code; the DLQ holds none unrecorded.
    const dead = await w.deadLetters();
    const wrong = poison.filter((message) => {
      const found = dead.filter((d) => (message.run === null ? d.message_id === message.messageId : d.message_key === message.run));
      return found.length !== 1 || !message.code.test(found[0]!.reason_code) || found[0]!.status !== 'open';
    });
    const retried = w.logged('ALLOWANCE_RUN_RETRY').length;
    const invariants = await checkInvariants(w.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: new Set() });
    report.finish({
      load: `${GOOD} good runs alongside ${poison.length} poison messages (${kinds.length} kinds × ${COPIES})`,
      faults: `${poison.length} poison messages, ${dead.length} dead letters, ${retried} retried, ${wrong.length} misfiled`,
      violations: invariants.total + wrong.length + retried,
    });
    expect(wrong.map((message) => `${message.kind} ${message.messageId}`)).to.deep.equal([]);
    expect(dead).to.have.length(expectedDeadLetters);
    expect(await w.depths()).to.deep.include({ deadLettered: 0 });
    expect(retried, 'nothing malformed is retried').to.equal(0);
    expect((await w.schedule(offScheduleId)).last_failed_run_at).to.equal(null);
    expect(allowanceMessageId(target, anchorAt)).to.be.a('string');
    expect(invariants.total, invariants.describe()).to.equal(0);
    await assertMoneyConserved(w.knex);
  });
});
