import { expect } from 'chai';
import { context, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { memoryLogger, type DeadLetterMessage, type DeliveryDisposition, type DeliveryHandler } from '@banca/domain/ports';
import { useInMemoryTracing, useTestBroker } from '@banca/test-support';
import { allowanceTopologyNames, type AllowanceTopologyNames } from './allowance-topology';
import { AmqpAllowanceConsumer } from './amqp-allowance.consumer';
import { AmqpAllowancePublisher } from './amqp-allowance.publisher';
import { AmqpConnection } from './amqp-connection';
import { AmqpDeadLetterConsumer } from './amqp-dead-letter.consumer';

const RETRY_DELAY_MS = 100;
const run = (scheduleId: string, runAt = '2025-06-01T12:00:00.000Z') => ({ scheduleId, runAt, messageId: `${scheduleId}:${runAt}` });

async function eventually<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('allowance message tracing on real RabbitMQ', () => {
  const broker = useTestBroker('tracing');
  const exporter = useInMemoryTracing();
  let names: AllowanceTopologyNames;
  let connection: AmqpConnection;
  let publisher: AmqpAllowancePublisher;
  const consumers: Array<{ stop(): Promise<void> }> = [];
  let seq = 0;

  beforeEach(() => {
    exporter.reset();
    names = allowanceTopologyNames(broker.current.name(`allowance.traced.${++seq}`));
    broker.current.track(...Object.values(names));
    connection = new AmqpConnection(broker.current.url, memoryLogger('amqp'), { connectionName: `${broker.current.prefix}.traced.${seq}` });
    publisher = new AmqpAllowancePublisher(() => connection.get(), { names, retryDelayMs: RETRY_DELAY_MS });
  });
  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
    await publisher.close();
    await connection.close();
  });

  const topology = () => ({ topology: { names, retryDelayMs: RETRY_DELAY_MS }, prefetch: 5, logger: memoryLogger('amqp'), reconnectDelayMs: 100 });
  function consume(handler: DeliveryHandler): Promise<void> {
    const consumer = new AmqpAllowanceConsumer(connection, topology(), handler);
    consumers.push(consumer);
    return consumer.start();
  }
  const spans = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name === name);
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  it('publishes each run in a producer span under the active one, and delivers it in a consumer span of the same trace', async () => {
    const job = trace.getTracer('test').startSpan('job allowance-enqueue');
    await context.with(trace.setSpan(context.active(), job), () => publisher.publish([run('s1'), run('s2')]));
    job.end();
    const handled: string[] = [];
    await consume(async () => {
      handled.push(trace.getActiveSpan()!.spanContext().traceId);
      return { action: 'ack' };
    });
    const processed = await eventually(() => spans(`process ${names.queue}`).length === 2 && spans(`process ${names.queue}`), 'two delivery spans');
    const published = spans(`publish ${names.queue}`);
    expect(published.map((span) => span.kind)).to.deep.equal([SpanKind.PRODUCER, SpanKind.PRODUCER]);
    expect(published.map(parentOf)).to.deep.equal([job.spanContext().spanId, job.spanContext().spanId]);
    expect(published.map((span) => span.attributes['banca.allowance.schedule_id'])).to.deep.equal(['s1', 's2']);
    for (const span of processed) {
      expect(span.kind).to.equal(SpanKind.CONSUMER);
      expect(span.spanContext().traceId).to.equal(job.spanContext().traceId);
      expect(published.map((p) => p.spanContext().spanId)).to.include(parentOf(span));
      expect(span.attributes).to.include({ 'messaging.system': 'rabbitmq', 'banca.allowance.disposition': 'ack', 'banca.allowance.attempt': 1 });
    }
    expect(handled, 'the handler runs inside the delivery span').to.deep.equal([job.spanContext().traceId, job.spanContext().traceId]);
  });

  it('keeps a run retried through the retry queue in the trace it was published in', async () => {
    await publisher.publish([run('s1')]);
    const [publish] = spans(`publish ${names.queue}`);
    let calls = 0;
    await consume(async (): Promise<DeliveryDisposition> => (++calls === 1 ? { action: 'retry', reason: 'database unavailable' } : { action: 'ack' }));
    const processed = await eventually(() => spans(`process ${names.queue}`).length === 2 && spans(`process ${names.queue}`), 'the retried delivery');
    expect(processed.map((span) => span.spanContext().traceId)).to.deep.equal([publish!.spanContext().traceId, publish!.spanContext().traceId]);
    expect(processed.map(parentOf)).to.deep.equal([publish!.spanContext().spanId, publish!.spanContext().spanId]);
    expect(processed.map((span) => [span.attributes['banca.allowance.attempt'], span.attributes['banca.allowance.disposition']])).to.deep.equal([
      [1, 'retry'],
      [2, 'ack'],
    ]);
    expect(processed[0]!.status).to.deep.include({ code: 2, message: 'database unavailable' });
  });

  it('dead-letters a run with its trace context, and a replay of it links to that trace', async () => {
    await publisher.publish([run('s9')]);
    const [original] = spans(`publish ${names.queue}`);
    await consume(async () => ({ action: 'dead-letter', code: 'ALLOWANCE.INSUFFICIENT_FUNDS', reason: 'guardian balance is below 45.00' }));
    const recorded: DeadLetterMessage[] = [];
    const dlq = new AmqpDeadLetterConsumer(connection, { ...topology(), retryPauseMs: 100 }, async (letter) => {
      recorded.push(letter);
    });
    consumers.push(dlq);
    await dlq.start();
    const [letter] = await eventually(() => recorded.length === 1 && recorded, 'the dead letter');
    const { traceId, spanId } = original!.spanContext();
    expect(letter!.traceContext).to.deep.equal({ traceparent: `00-${traceId}-${spanId}-01` });

    exporter.reset();
    await publisher.publish([{ ...run('s9'), replayOf: letter!.traceContext! }]);
    const [replay] = spans(`publish ${names.queue}`);
    expect(replay!.spanContext().traceId, 'a replay is a trace of its own').to.not.equal(traceId);
    expect(replay!.links.map((link) => ({ ...link.context, attributes: link.attributes }))).to.deep.include({ traceId, spanId, traceFlags: 1, isRemote: true, attributes: { 'banca.link': 'replay-of' } });
  });
});
