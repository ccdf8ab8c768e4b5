import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { allowanceMessageBody, type AllowanceRunMessage } from '@banca/domain';
import type { AllowanceQueue } from '@banca/domain/ports';
import { assertAllowanceTopology, type AllowanceTopologyNames } from './allowance-topology';
import { startPublishTrace, type PublishTrace } from './allowance-message-tracing';

/**
 * AllowanceQueue on RabbitMQ: persistent messages, `messageId = scheduleId:runAt`, publisher confirms.
 * `publish` resolves only once the broker has confirmed every message; any failure rejects, and the
 * producer's leases expire so the runs are published again by a later run.
 */
export class AmqpAllowancePublisher implements AllowanceQueue {
  private channel: Promise<ConfirmChannel> | null = null;

  constructor(
    private readonly connect: () => Promise<ChannelModel>,
    private readonly topology: { names: AllowanceTopologyNames; retryDelayMs: number },
  ) {}

  async publish(messages: readonly AllowanceRunMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const channel = await this.openChannel();
    const place = { system: 'rabbitmq' as const, destination: this.topology.names.queue };
    const traces: PublishTrace[] = [];
    try {
      for (const message of messages) {
        // Each run's publish is a span; its trace context travels in the message headers (W3C traceparent).
        const traced = startPublishTrace(message, place);
        traces.push(traced);
        const body = Buffer.from(allowanceMessageBody(message));
        const accepted = channel.sendToQueue(this.topology.names.queue, body, {
          persistent: true,
          messageId: message.messageId,
          contentType: 'application/json',
          headers: traced.headers,
        });
        if (!accepted) await new Promise((resolve) => channel.once('drain', resolve));
      }
      await channel.waitForConfirms();
    } catch (error) {
      for (const traced of traces) traced.end(error);
      throw error;
    }
    for (const traced of traces) traced.end();
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = null;
    if (channel) await (await channel.catch(() => null))?.close().catch(() => undefined);
  }

  private openChannel(): Promise<ConfirmChannel> {
    if (!this.channel) {
      const opening = (async () => {
        const connection = await this.connect();
        const channel = await connection.createConfirmChannel();
        await assertAllowanceTopology(channel, this.topology);
        // A closed channel or connection is dropped, so the next publish opens a fresh one.
        const forget = () => {
          if (this.channel === opening) this.channel = null;
        };
        channel.once('close', forget);
        channel.on('error', forget);
        return channel;
      })();
      this.channel = opening;
      opening.catch(() => {
        if (this.channel === opening) this.channel = null;
      });
    }
    return this.channel;
  }
}
