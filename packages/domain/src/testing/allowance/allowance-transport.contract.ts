import { expect } from 'chai';
import type { AllowanceDelivery, AllowanceTransport, DeliveryHandler } from '../../allowance/allowance-transport.port';

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

    it('keeps dead letters until replayed, then delivers them afresh', async () => {
      let replayed = false;
      const seen: AllowanceDelivery[] = [];
      await consume(async (delivery) => {
        seen.push(delivery);
        return replayed ? { action: 'ack' } : { action: 'dead-letter', reason: 'VALIDATION.INVALID_INPUT: not JSON' };
      });
      await harness.enqueueRaw('not json');
      await eventually(async () => (await harness.transport.depths()).deadLettered === 1, 'the dead letter');
      expect(seen[0]!.body).to.equal('not json');
      replayed = true;
      expect(await harness.transport.replayDeadLetters({ limit: 10 })).to.deep.equal({ replayed: 1 });
      await eventually(() => seen.length === 2, 'the replayed delivery');
      expect(seen[1]).to.include({ rawBody: 'not json', previousAttempts: 0 });
      await eventually(async () => (await harness.transport.depths()).deadLettered === 0, 'an empty DLQ');
    });

    it('replays at most the dead letters it found, though the worker dead-letters each again at once', async () => {
      let deliveries = 0;
      await consume(async () => {
        deliveries += 1;
        return { action: 'dead-letter', reason: 'VALIDATION.INVALID_INPUT: not JSON' };
      });
      for (let i = 0; i < 10; i++) await harness.enqueueRaw(`poison ${i}`);
      await eventually(async () => deliveries === 10 && (await harness.transport.depths()).deadLettered === 10, 'ten dead letters');
      expect(await harness.transport.replayDeadLetters({ limit: 10_000 })).to.deep.equal({ replayed: 10 });
      await eventually(async () => deliveries === 20 && (await harness.transport.depths()).deadLettered === 10, 'the ten back in the DLQ');
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
