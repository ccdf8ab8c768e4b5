import { expect } from 'chai';
import type { AllowanceDelivery, AllowanceTransport, DeadLetterMessage, DeliveryHandler } from '../../allowance/allowance-transport.port';

export interface TransportHarness {
  transport: AllowanceTransport;
  /** Puts a raw, possibly malformed body on the main queue, as a foreign producer could. */
  enqueueRaw(rawBody: string): Promise<void>;
  close(): Promise<void>;
}

const RUN_AT = '2025-06-01T12:00:00.000Z';
const message = (scheduleId: string) => ({ scheduleId, runAt: RUN_AT, messageId: `${scheduleId}:${RUN_AT}` });

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What every allowance transport does (the retry delay of the harness is short, ~100 ms). */
export function allowanceTransportContract(name: string, makeHarness: () => Promise<TransportHarness>): void {
  describe(`AllowanceTransport contract: ${name}`, () => {
    let harness: TransportHarness;
    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(() => harness?.close());

    const consume = (handler: DeliveryHandler, prefetch = 10) => harness.transport.startConsuming(handler, { prefetch });

    it('delivers each published run once, as JSON with its message id', async () => {
      const seen: AllowanceDelivery[] = [];
      await consume(async (delivery) => {
        seen.push(delivery);
        return { action: 'ack' };
      });
      await harness.transport.publisher.publish([message('a'), message('b')]);
      await eventually(() => seen.length === 2, 'two deliveries');
      expect(seen.map((d) => d.body)).to.have.deep.members([{ scheduleId: 'a', runAt: RUN_AT }, { scheduleId: 'b', runAt: RUN_AT }]);
      expect(seen.map((d) => d.messageId)).to.have.members([`a:${RUN_AT}`, `b:${RUN_AT}`]);
      expect(seen.every((d) => d.previousAttempts === 0)).to.equal(true);
      await harness.transport.stopConsuming();
      expect(await harness.transport.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    });

    it('brings a retried delivery back after the delay, counting its attempts; a thrown handler error retries too', async () => {
      const attempts: number[] = [];
      await consume(async (delivery) => {
        attempts.push(delivery.previousAttempts);
        if (delivery.previousAttempts === 0) return { action: 'retry', reason: 'insufficient funds' };
        if (delivery.previousAttempts === 1) throw new Error('database unreachable');
        return { action: 'ack' };
      });
      await harness.transport.publisher.publish([message('r')]);
      await eventually(() => attempts.length === 3, 'three attempts');
      expect(attempts).to.deep.equal([0, 1, 2]);
    });

    it('hands each dead letter to the dead-letter consumer with its code, reason and attempts, and drops it only once recorded', async () => {
      await consume(async (delivery) =>
        delivery.previousAttempts === 0
          ? { action: 'retry', reason: 'ALLOWANCE.INSUFFICIENT_FUNDS: short' }
          : { action: 'dead-letter', code: 'ALLOWANCE.INSUFFICIENT_FUNDS', reason: 'gave up after 2 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short' },
      );
      await harness.transport.publisher.publish([message('d')]);
      await eventually(async () => (await harness.transport.depths()).deadLettered === 1, 'the dead letter, waiting to be recorded');
      const recorded: DeadLetterMessage[] = [];
      let failures = 1;
      const before = Date.now();
      await harness.transport.consumeDeadLetters(async (letter) => {
        recorded.push(letter);
        if (failures > 0) {
          failures -= 1;
          throw new Error('database unreachable');
        }
      }, { prefetch: 5 });
      await eventually(() => recorded.length === 2, 'the dead letter again after a failed recording');
      await eventually(async () => (await harness.transport.depths()).deadLettered === 0, 'the DLQ emptied once recorded');
      expect(recorded[1]).to.deep.include({
        messageId: `d:${RUN_AT}`,
        rawBody: JSON.stringify({ scheduleId: 'd', runAt: RUN_AT }),
        reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
        reason: 'gave up after 2 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short',
        attempts: 2,
      });
      const at = recorded[1]!.deadLetteredAt;
      expect(at, 'when it was dead-lettered').to.be.instanceOf(Date);
      expect(at!.getTime()).to.be.within(before - 1000, Date.now());
      expect(recorded[0]).to.deep.equal(recorded[1]);
    });

    it('dead-letters a malformed body as it came, and keeps dead letters while no one records them', async () => {
      await consume(async () => ({ action: 'dead-letter', code: 'VALIDATION.INVALID_INPUT', reason: 'VALIDATION.INVALID_INPUT: not JSON' }));
      await harness.enqueueRaw('not json');
      const recorded: DeadLetterMessage[] = [];
      await harness.transport.consumeDeadLetters(async (letter) => {
        recorded.push(letter);
      }, { prefetch: 5 });
      await eventually(() => recorded.length === 1, 'the malformed dead letter');
      expect(recorded[0]).to.deep.include({ rawBody: 'not json', reasonCode: 'VALIDATION.INVALID_INPUT', attempts: 1 });
      await harness.transport.stopConsuming();
      await consume(async () => ({ action: 'dead-letter', code: 'VALIDATION.INVALID_INPUT', reason: 'VALIDATION.INVALID_INPUT: not JSON' }));
      await harness.enqueueRaw('still not json');
      await eventually(async () => (await harness.transport.depths()).deadLettered === 1, 'a dead letter kept for the next recorder');
      expect(recorded).to.have.length(1);
    });

    it('holds at most `prefetch` deliveries at once, and stopping waits for them', async () => {
      let inHand = 0;
      let most = 0;
      let settled = 0;
      await consume(async () => {
        inHand += 1;
        most = Math.max(most, inHand);
        await new Promise((resolve) => setTimeout(resolve, 25));
        inHand -= 1;
        settled += 1;
        return { action: 'ack' };
      }, 3);
      await harness.transport.publisher.publish(Array.from({ length: 9 }, (_, i) => message(`p${i}`)));
      await eventually(() => settled >= 4, 'some deliveries');
      await harness.transport.stopConsuming();
      expect(inHand).to.equal(0);
      expect(most).to.equal(3);
    });
  });
}
