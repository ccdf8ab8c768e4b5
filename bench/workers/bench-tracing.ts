import { context, propagation, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type Telemetry } from '@banca/scheduler/telemetry';

type ExportResultCallback = Parameters<InMemorySpanExporter['export']>[1];

/** An in-memory exporter that counts what it was given and drops it past a bound, so memory stays flat. */
class CountingMemoryExporter extends InMemorySpanExporter {
  exported = 0;

  override export(spans: ReadableSpan[], resultCallback: ExportResultCallback): void {
    this.exported += spans.length;
    super.export(spans, resultCallback);
    if (this.getFinishedSpans().length > 10_000) this.reset();
  }
}

let exporter: CountingMemoryExporter | null = null;
let telemetry: Telemetry | null = null;

/**
 * Tracing as production runs it (the product's startTelemetry: HTTP, PostgreSQL and Redis
 * instrumented, a batch span processor), exporting to memory. Call it before the product is loaded.
 */
export function startBenchTracing(serviceName: string): void {
  exporter = new CountingMemoryExporter();
  telemetry = startTelemetry({}, { serviceName, spanProcessors: [new BatchSpanProcessor(exporter)] });
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
  return exporter?.exported ?? null;
}
