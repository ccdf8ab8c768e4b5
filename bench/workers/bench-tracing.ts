import { context, propagation, trace } from '@opentelemetry/api';
import type { Telemetry } from '@banca/scheduler/telemetry';

// The same module a traced child preloads, so its counter is the one this process reads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const memory = require('./trace-to-memory.cjs') as { startMemoryTracing(serviceName: string): Telemetry | null; exportedSpans(): number | null };

export const TRACE_TO_MEMORY = require.resolve('./trace-to-memory.cjs');

let telemetry: Telemetry | null = null;

/** Starts tracing to memory in this process (the bench process itself, for the producer's spans). */
export function startBenchTracing(serviceName: string): void {
  telemetry = memory.startMemoryTracing(serviceName);
}

/** Flushes and stops tracing in this process, leaving the OpenTelemetry API a no-op again. */
export async function stopBenchTracing(): Promise<void> {
  await telemetry?.shutdown();
  telemetry = null;
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Spans exported so far in this process, or null when tracing is off. */
export function exportedSpans(): number | null {
  return memory.exportedSpans();
}

/** The environment that starts a bench child traced to memory, counting its spans into `spansFile` at exit. */
export function tracedChildEnv(serviceName: string, spansFile?: string): Record<string, string> {
  const inherited = process.env['NODE_OPTIONS'] ? `${process.env['NODE_OPTIONS']} ` : '';
  return { NODE_OPTIONS: `${inherited}--require ${TRACE_TO_MEMORY}`, BENCH_TRACE_TO_MEMORY: serviceName, ...(spansFile ? { BENCH_SPANS_FILE: spansFile } : {}) };
}
