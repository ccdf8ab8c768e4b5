import { expect } from 'chai';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { useInMemoryTracing } from '@banca/test-support';
import { eventually, useAllowanceWorlds } from '../allowance/allowance-world.test-helpers';

const HOUR = 3_600_000;

describe('tracing: a run retried, dead-lettered, recorded and replayed (RabbitMQ, PostgreSQL)', () => {
  const worlds = useAllowanceWorlds();
  const exporter = useInMemoryTracing();


  it('keeps every attempt in the trace of the job that published the run, stores that trace with the dead letter, and links the replay to it', async () => {
    exporter.reset();
    const world = await worlds.create({ label: 'traced-replay', maxRetries: 2, retryDelayMs: 100 });
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const guardian = await world.givenGuardian('0.00');
    const junior = await world.givenJunior(guardian);
    const schedule = await world.givenSchedule({ guardianId: guardian, juniorId: junior, amount: '45.00', frequency: 'DAILY', anchorAt });
    const spans = (kind: SpanKind): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.kind === kind && span.attributes['messaging.system'] === 'rabbitmq');

    expect((await world.runProducer()).status).to.equal('SUCCESS');
    const job = exporter.getFinishedSpans().find((span) => span.name === 'job allowance.enqueue')!;
    const [publish] = spans(SpanKind.PRODUCER);
    expect(publish!.parentSpanContext?.spanId, 'the publish is a child of the producer job').to.equal(job.spanContext().spanId);
    expect(publish!.attributes['banca.allowance.schedule_id']).to.equal(schedule);

    const [letter] = await eventually(async () => {
      const rows = await world.deadLetters();
      return rows.length === 1 ? rows : undefined;
    }, 'the dead letter recorded');
    const attempts = spans(SpanKind.CONSUMER);
    expect(attempts.map((span) => span.attributes['banca.allowance.attempt'])).to.deep.equal([1, 2]);
    expect(attempts.map((span) => span.attributes['banca.allowance.disposition'])).to.deep.equal(['retry', 'dead-letter']);
    for (const attempt of attempts) expect(attempt.parentSpanContext?.spanId, 'each attempt continues the publish').to.equal(publish!.spanContext().spanId);
    const { traceId, spanId } = publish!.spanContext();
    expect(letter!.trace_context).to.deep.equal({ traceparent: `00-${traceId}-${spanId}-01` });

    exporter.reset();
    await world.deposit(guardian, '45.00');
    const replay = await world.http('POST', '/admin/dead-letters/replay', { token: world.adminToken(), body: { ids: [letter!.id] } });
    expect(replay.status).to.equal(200);
    await eventually(async () => ((await world.balanceOf(junior)) === '45.00' ? true : undefined), 'the replayed run credited');
    const [replayed] = spans(SpanKind.PRODUCER);
    expect(replayed!.spanContext().traceId, 'the replay is a trace of its own').to.not.equal(traceId);
    expect(replayed!.links.map((link) => [link.context.traceId, link.context.spanId, link.attributes?.['banca.link']])).to.deep.equal([[traceId, spanId, 'replay-of']]);
    const credited = await eventually(() => spans(SpanKind.CONSUMER).find((span) => span.attributes['banca.allowance.disposition'] === 'ack'), 'the replayed delivery');
    expect(credited.spanContext().traceId).to.equal(replayed!.spanContext().traceId);
  });
});
