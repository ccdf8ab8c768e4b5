import { expect } from 'chai';
import * as amqp from 'amqplib';
import { useTestBroker } from '@banca/test-support';
import { allowanceTopologyNames, assertAllowanceTopology, type AllowanceTopologyNames } from './allowance-topology';

describe('allowance topology on real RabbitMQ', () => {
  const broker = useTestBroker('topology');
  let connection: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  let names: AllowanceTopologyNames;

  before(async () => {
    names = allowanceTopologyNames(broker.current.name('allowance.schedule'));
    broker.current.track(...Object.values(names));
    connection = await amqp.connect(broker.current.url);
    channel = await connection.createConfirmChannel();
  });
  after(() => connection.close());

  it('can be asserted again and again with the same arguments', async () => {
    await assertAllowanceTopology(channel, { names, retryDelayMs: 100 });
    await assertAllowanceTopology(channel, { names, retryDelayMs: 100 });
    const queue = await channel.checkQueue(names.queue);
    expect(queue.messageCount).to.equal(0);
  });

  it('sends a rejected message through the retry queue and back, counting the attempt in x-death', async () => {
    channel.sendToQueue(names.queue, Buffer.from('{"scheduleId":"s","runAt":"r"}'), { persistent: true, messageId: 's:r' });
    await channel.waitForConfirms();

    const deliveries: amqp.ConsumeMessage[] = [];
    const seenTwice = new Promise<void>((resolve) => {
      void channel.consume(names.queue, (message) => {
        if (!message) return;
        deliveries.push(message);
        if (deliveries.length === 1) channel.nack(message, false, false);
        else {
          channel.ack(message);
          resolve();
        }
      });
    });
    await seenTwice;

    const [, retried] = deliveries;
    expect(retried!.properties.messageId).to.equal('s:r');
    const death = (retried!.properties.headers?.['x-death'] ?? []) as Array<{ queue: string; count: number }>;
    expect(death.find((d) => d.queue === names.queue)?.count).to.equal(1);
  });

  it('routes what is given up on to the DLQ', async () => {
    channel.publish(names.dlqExchange, names.queue, Buffer.from('poison'), { persistent: true });
    await channel.waitForConfirms();
    const message = await waitForMessage(channel, names.dlq);
    expect(message.content.toString()).to.equal('poison');
    channel.ack(message);
  });
});

async function waitForMessage(channel: amqp.Channel, queue: string): Promise<amqp.GetMessage> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const message = await channel.get(queue);
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no message arrived on ${queue}`);
}
