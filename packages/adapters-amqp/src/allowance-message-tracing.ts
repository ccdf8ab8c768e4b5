import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span, type TextMapGetter } from '@opentelemetry/api';
import type { AllowanceRunMessage, TraceContext } from '@banca/domain';
import type { DeliveryDisposition } from '@banca/domain/ports';

/** Where a message travels: RabbitMQ, or the embedded default's in-process queue. */
export interface MessagingPlace {
  system: 'rabbitmq' | 'in-process';
  /** The queue a run is published to and consumed from. */
  destination: string;
}

/** One message's publish span, and the headers carrying its trace context to the consumer. */
export interface PublishTrace {
  headers: Record<string, string>;
  end(error?: unknown): void;
}

const tracer = trace.getTracer('@banca/adapters-amqp');

const headerGetter: TextMapGetter<Readonly<Record<string, unknown>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : undefined;
  },
};

/**
 * Starts the producer span of one published run (docs/architecture.md, Tracing), a child of what is
 * active (a job run, an HTTP request), and returns the W3C headers (`traceparent`, `tracestate`) that
 * carry it. A replayed dead letter's publish links to the trace the run failed in. Without a tracer
 * provider the span records nothing and the headers are empty.
 */
export function startPublishTrace(message: AllowanceRunMessage, place: MessagingPlace): PublishTrace {
  const links: Link[] = message.replayOf ? linkTo(message.replayOf) : [];
  const span = tracer.startSpan(`publish ${place.destination}`, {
    kind: SpanKind.PRODUCER,
    links,
    attributes: { ...messagingAttributes(place, 'publish', message.messageId), 'banca.allowance.schedule_id': message.scheduleId, 'banca.allowance.run_at': message.runAt },
  });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return {
    headers,
    end(error) {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  };
}

/**
 * Runs the handling of one delivery in a consumer span whose parent is the trace context the message
 * carried: a run retried through the retry queue, or dead-lettered, stays in the trace it was published
 * in. The disposition the work returns is recorded on the span; a retry or a dead letter marks it an error.
 */
export async function inDeliverySpan(
  headers: Readonly<Record<string, unknown>> | undefined,
  delivery: { messageId: string | null; attempt: number },
  place: MessagingPlace,
  work: () => Promise<DeliveryDisposition>,
): Promise<DeliveryDisposition> {
  const parent: Context = headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
  const span = tracer.startSpan(
    `process ${place.destination}`,
    { kind: SpanKind.CONSUMER, attributes: { ...messagingAttributes(place, 'process', delivery.messageId), 'banca.allowance.attempt': delivery.attempt } },
    parent,
  );
  try {
    const disposition = await context.with(trace.setSpan(parent, span), work);
    describeDisposition(span, disposition);
    return disposition;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

function linkTo(original: TraceContext): Link[] {
  const linked = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { ...original }, headerGetter));
  return linked ? [{ context: linked, attributes: { 'banca.link': 'replay-of' } }] : [];
}

function describeDisposition(span: Span, disposition: DeliveryDisposition): void {
  span.setAttribute('banca.allowance.disposition', disposition.action);
  if (disposition.action === 'retry') span.setStatus({ code: SpanStatusCode.ERROR, message: disposition.reason });
  if (disposition.action === 'dead-letter') {
    span.setAttribute('banca.allowance.failure_code', disposition.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: disposition.reason });
  }
}

function messagingAttributes(place: MessagingPlace, operation: 'publish' | 'process', messageId: string | null): Attributes {
  return {
    'messaging.system': place.system,
    'messaging.destination.name': place.destination,
    'messaging.operation.type': operation === 'publish' ? 'send' : 'process',
    ...(messageId === null ? {} : { 'messaging.message.id': messageId }),
  };
}
