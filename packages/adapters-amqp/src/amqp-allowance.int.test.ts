import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as amqp from 'amqplib';
import { memoryLogger, type AllowanceDelivery, type DeadLetterMessage, type DeliveryHandler } from '@banca/domain/ports';
import { useTestBroker } from '@banca/test-support';
import { allowanceTopologyNames, assertAllowanceTopology, type AllowanceTopologyNames } from './allowance-topology';
import { AmqpConnection } from './amqp-connection';
import { AmqpAllowancePublisher } from './amqp-allowance.publisher';
import { AmqpAllowanceConsumer } from './amqp-allowance.consumer';
import { allowanceQueueDepths } from './allowance-dlq';
import { AmqpDeadLetterConsumer } from './amqp-dead-letter.consumer';
import { readDeadLetter } from './amqp-message';

const RETRY_DELAY_MS = 100;

const run = (scheduleId: string, runAt = '2025-06-01T12:00:00.000Z') => ({ scheduleId, runAt, messageId: `${scheduleId}:${runAt}` });

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('allowance publisher and consumer on real RabbitMQ', () => {
  const broker = useTestBroker('allowance');
  let names: AllowanceTopologyNames;
  let connection: AmqpConnection;
  let publisher: AmqpAllowancePublisher;
  let consumer: AmqpAllowanceConsumer | undefined;
  let logger = memoryLogger('amqp');
  let seq = 0;

  beforeEach(() => {
    logger = memoryLogger('amqp');
    names = allowanceTopologyNames(broker.current.name(`allowance.schedule.${++seq}`));
    broker.current.track(...Object.values(names));
    connection = new AmqpConnection(broker.current.url, logger, { connectionName: `${broker.current.prefix}.${seq}` });
    publisher = new AmqpAllowancePublisher(() => connection.get(), { names, retryDelayMs: RETRY_DELAY_MS });
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await publisher.close();
    await connection.close();
  });

  async function sendRaw(queue: string, body: string, options: { messageId: string; headers?: Record<string, unknown> }): Promise<void> {
    const raw = await amqp.connect(broker.current.url);
    try {
      const channel = await raw.createConfirmChannel();
      await assertAllowanceTopology(channel, { names, retryDelayMs: RETRY_DELAY_MS });
      channel.sendToQueue(queue, Buffer.from(body), { persistent: true, ...options });
      await channel.waitForConfirms();
    } finally {
      await raw.close();
    }
  }

  function consume(handler: DeliveryHandler, prefetch = 10): Promise<void> {
    consumer = new AmqpAllowanceConsumer(connection, { topology: { names, retryDelayMs: RETRY_DELAY_MS }, prefetch, logger, reconnectDelayMs: 100 }, handler);
    return consumer.start();
  }

  it('publishes persistent JSON messages with messageId scheduleId:runAt, confirmed', async () => {
    await publisher.publish([run('s1'), run('s2')]);
    const raw = await amqp.connect(broker.current.url);
    try {
      const channel = await raw.createChannel();
      const first = await channel.get(names.queue, { noAck: true });
      expect(first && JSON.parse(first.content.toString())).to.deep.equal({ scheduleId: 's1', runAt: '2025-06-01T12:00:00.000Z' });
      expect(first && first.properties).to.include({ messageId: 's1:2025-06-01T12:00:00.000Z', deliveryMode: 2, contentType: 'application/json' });
      expect((await channel.checkQueue(names.queue)).messageCount).to.equal(1);
    } finally {
      await raw.close();
    }
  });

  it('acks handled deliveries', async () => {
    const seen: AllowanceDelivery[] = [];
    await consume(async (delivery) => {
      seen.push(delivery);
      return { action: 'ack' };
    });
    await publisher.publish([run('a'), run('b'), run('c')]);
    await eventually(() => seen.length === 3 || undefined, 'three deliveries');
    expect(seen.map((d) => d.messageId)).to.have.members(['a:2025-06-01T12:00:00.000Z', 'b:2025-06-01T12:00:00.000Z', 'c:2025-06-01T12:00:00.000Z']);
    await consumer!.stop();
    expect(await allowanceQueueDepths(connection, names)).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
  });

  it('sends a retried delivery through the TTL retry queue and counts the attempts from x-death', async () => {
    const attempts: number[] = [];
    await consume(async (delivery) => {
      attempts.push(delivery.previousAttempts);
      return delivery.previousAttempts < 2 ? { action: 'retry', reason: 'insufficient funds' } : { action: 'ack' };
    });
    await publisher.publish([run('retry-me')]);
    await eventually(() => attempts.length === 3 || undefined, 'three attempts');
    expect(attempts).to.deep.equal([0, 1, 2]);
  });

  it('dead-letters with the code, reason, attempts and time, and keeps consuming', async () => {
    const handled: string[] = [];
    await consume(async (delivery) => {
      handled.push(delivery.rawBody);
      if (delivery.rawBody === 'not json') return { action: 'dead-letter', code: 'VALIDATION.INVALID_INPUT', reason: 'VALIDATION.INVALID_INPUT: not JSON' };
      return { action: 'ack' };
    });
    await sendRaw(names.queue, 'not json', { messageId: 'poison' });
    await publisher.publish([run('after-poison')]);
    await eventually(async () => (await allowanceQueueDepths(connection, names)).deadLettered === 1 || undefined, 'the DLQ');
    await eventually(() => handled.length === 2 || undefined, 'the next message');

    const inspect = await amqp.connect(broker.current.url);
    try {
      const channel = await inspect.createChannel();
      const dead = await channel.get(names.dlq);
      expect(dead && dead.content.toString()).to.equal('not json');
      expect(dead && dead.properties.messageId).to.equal('poison');
      expect(dead && readDeadLetter(dead, names.queue)).to.deep.include({
        messageId: 'poison',
        rawBody: 'not json',
        reasonCode: 'VALIDATION.INVALID_INPUT',
        reason: 'VALIDATION.INVALID_INPUT: not JSON',
        attempts: 1,
      });
      expect(dead && readDeadLetter(dead, names.queue).deadLetteredAt).to.be.instanceOf(Date);
    } finally {
      await inspect.close();
    }
  });

  it('records what anyone put on the DLQ, counting attempts from x-death, and acks it only once recorded', async () => {
    await sendRaw(names.dlq, '{"scheduleId":"s","runAt":"2025-06-01T12:00:00.000Z"}', {
      messageId: 'foreign',
      headers: { 'x-death': [{ queue: names.queue, reason: 'rejected', count: 3 }], 'x-dlq-reason': 'gave up after 4 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short' },
    });
    const recorded: DeadLetterMessage[] = [];
    let failures = 2;
    const dlqConsumer = new AmqpDeadLetterConsumer(
      connection,
      { topology: { names, retryDelayMs: RETRY_DELAY_MS }, prefetch: 5, retryPauseMs: 50, logger, reconnectDelayMs: 100 },
      async (letter) => {
        recorded.push(letter);
        if (failures-- > 0) throw new Error('database unreachable');
      },
    );
    try {
      await dlqConsumer.start();
      await eventually(() => recorded.length === 3 || undefined, 'the third recording');
      await eventually(async () => (await allowanceQueueDepths(connection, names)).deadLettered === 0 || undefined, 'the DLQ emptied');
      expect(recorded[2]).to.deep.equal({
        messageId: 'foreign',
        rawBody: '{"scheduleId":"s","runAt":"2025-06-01T12:00:00.000Z"}',
        reasonCode: null,
        reason: 'gave up after 4 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short',
        attempts: 4,
        deadLetteredAt: null,
        traceContext: null,
      });
      expect(logger.entries.filter((entry) => entry.action === 'ALLOWANCE_DEAD_LETTER_RECORD_FAIL')).to.have.length(2);
    } finally {
      await dlqConsumer.stop();
    }
  });

  it('gives a dead letter whose recording keeps failing back to the DLQ when it stops', async () => {
    await sendRaw(names.dlq, 'not json', { messageId: 'stuck' });
    let attempts = 0;
    const dlqConsumer = new AmqpDeadLetterConsumer(
      connection,
      { topology: { names, retryDelayMs: RETRY_DELAY_MS }, prefetch: 5, retryPauseMs: 60_000, logger, reconnectDelayMs: 100 },
      async () => {
        attempts += 1;
        throw new Error('database unreachable');
      },
    );
    await dlqConsumer.start();
    await eventually(() => attempts === 1 || undefined, 'a failed recording');
    await dlqConsumer.stop();
    expect(await allowanceQueueDepths(connection, names)).to.deep.include({ deadLettered: 1 });
  });

  it('never holds more unacknowledged deliveries than the prefetch', async () => {
    let inHand = 0;
    let most = 0;
    let done = 0;
    await consume(async () => {
      inHand += 1;
      most = Math.max(most, inHand);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inHand -= 1;
      done += 1;
      return { action: 'ack' };
    }, 2);
    await publisher.publish(Array.from({ length: 8 }, (_, i) => run(`p${i}`)));
    await eventually(() => done === 8 || undefined, 'eight deliveries');
    expect(most).to.equal(2);
  });

  it('fails to start on a mismatched topology without leaving a reconnect loop behind', async () => {
    const raw = await amqp.connect(broker.current.url);
    try {
      const channel = await raw.createChannel();
      await channel.assertQueue(names.queue, { durable: false });
    } finally {
      await raw.close();
    }
    const failure = await consume(async () => ({ action: 'ack' })).then(() => null, (error: Error) => error);
    expect(failure?.message).to.contain('PRECONDITION_FAILED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logger.entries.filter((e) => e.action.startsWith('ALLOWANCE_CONSUMER'))).to.deep.equal([]);
    expect(consumer!.consuming).to.equal(false);
  });

  it('reconnects by itself after the connection drops, and consumes again', async () => {
    const seen: string[] = [];
    await consume(async (delivery) => {
      seen.push(delivery.messageId ?? '');
      return { action: 'ack' };
    });
    const live = await connection.get();
    (live as unknown as { connection: { stream: { destroy(error: Error): void } } }).connection.stream.destroy(new Error('network cut'));
    await eventually(() => logger.entries.some((e) => e.action === 'ALLOWANCE_CONSUMER_DISCONNECTED') || undefined, 'the disconnect');
    await eventually(() => consumer!.consuming || undefined, 'the consumer to come back');
    await publisher.publish([run('after-drop')]);
    await eventually(() => seen.includes('after-drop:2025-06-01T12:00:00.000Z') || undefined, 'a delivery after the drop');
  });

  it('reconnects after the broker closes the connection (rabbitmqctl close_connection)', async function () {
    const connectionName = `${broker.current.prefix}.${seq}`;
    let pid: string | undefined;
    try {
      const listing = execFileSync('rabbitmqctl', ['-q', '-t', '20', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8', timeout: 30_000 });
      const seen: string[] = [];
      await consume(async (delivery) => {
        seen.push(delivery.messageId ?? '');
        return { action: 'ack' };
      });
      const after = execFileSync('rabbitmqctl', ['-q', '-t', '20', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8', timeout: 30_000 });
      pid = after.split('\n').find((line) => line.includes(connectionName) && !listing.includes(line))?.split('\t')[0];
      if (!pid) throw new Error(`no broker connection named ${connectionName}`);
      execFileSync('rabbitmqctl', ['-q', 'close_connection', pid, 'test: broker closes the connection'], { timeout: 30_000 });
      await eventually(() => logger.entries.some((e) => e.action === 'ALLOWANCE_CONSUMER_DISCONNECTED') || undefined, 'the disconnect');
      await eventually(() => consumer!.consuming || undefined, 'the consumer to come back');
      await publisher.publish([run('after-close')]);
      await eventually(() => seen.includes('after-close:2025-06-01T12:00:00.000Z') || undefined, 'a delivery after the close');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
      throw error;
    }
  });
});
