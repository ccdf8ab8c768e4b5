import * as amqp from 'amqplib';
import { memoryLogger } from '@banca/domain/ports';
import { allowanceTransportContract } from '@banca/domain/testing';
import { createTestBroker } from '@banca/test-support';
import { allowanceTopologyNames } from './allowance-topology';
import { AmqpAllowanceTransport } from './amqp-allowance-transport';

allowanceTransportContract('RabbitMQ', async () => {
  const broker = await createTestBroker('transport');
  const queueName = broker.name('allowance.schedule');
  broker.track(...Object.values(allowanceTopologyNames(queueName)));
  const transport = new AmqpAllowanceTransport({ url: broker.url, queueName, retryDelayMs: 100, logger: memoryLogger('amqp') });
  await transport.assertTopology();
  return {
    transport,
    async enqueueRaw(rawBody) {
      const connection = await amqp.connect(broker.url);
      try {
        const channel = await connection.createConfirmChannel();
        channel.sendToQueue(queueName, Buffer.from(rawBody), { persistent: true, messageId: 'raw' });
        await channel.waitForConfirms();
      } finally {
        await connection.close();
      }
    },
    async close() {
      await transport.close();
      await broker.cleanup();
    },
  };
});
