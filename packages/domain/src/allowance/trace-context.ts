/**
 * The W3C trace context a message carried (docs/architecture.md, Tracing): kept with a dead letter so
 * its replay links to the trace of the run that failed. Only well-formed values are kept.
 */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const MAX_TRACESTATE_CHARS = 512;

/** The trace context of message headers (`traceparent`, `tracestate`), or null when absent or malformed. */
export function traceContextOf(headers: Readonly<Record<string, unknown>> | null | undefined): TraceContext | null {
  const traceparent = textOf(headers?.['traceparent']);
  if (traceparent === null || !TRACEPARENT.test(traceparent) || traceparent.startsWith('ff')) return null;
  const tracestate = textOf(headers?.['tracestate']);
  return tracestate !== null && tracestate.length > 0 && tracestate.length <= MAX_TRACESTATE_CHARS && !/[\r\n]/.test(tracestate)
    ? { traceparent, tracestate }
    : { traceparent };
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return null;
}
