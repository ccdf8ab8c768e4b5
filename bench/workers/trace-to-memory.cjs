'use strict';
// Tracing as production runs it (the product's startTelemetry: HTTP, PostgreSQL and Redis instrumented,
// a batch span processor), exporting to memory, for the tracing figure. Preloaded into a bench child
// (NODE_OPTIONS=--require …, with BENCH_TRACE_TO_MEMORY naming the service) it starts before the product
// loads, and at exit writes how many spans it exported to BENCH_SPANS_FILE.
const { writeFileSync } = require('node:fs');
const { BatchSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { startTelemetry } = require('@banca/scheduler/telemetry');

/** An in-memory exporter that counts what it was given and drops it past a bound, so memory stays flat. */
class CountingMemoryExporter extends InMemorySpanExporter {
  constructor() {
    super();
    this.exported = 0;
  }

  export(spans, resultCallback) {
    this.exported += spans.length;
    super.export(spans, resultCallback);
    if (this.getFinishedSpans().length > 10000) this.reset();
  }
}

let exporter = null;

/** Starts tracing to memory in this process; returns the product's telemetry handle. */
function startMemoryTracing(serviceName) {
  exporter = new CountingMemoryExporter();
  return startTelemetry({}, { serviceName, spanProcessors: [new BatchSpanProcessor(exporter)] });
}

/** Spans exported so far in this process, or null when tracing to memory was not started. */
function exportedSpans() {
  return exporter === null ? null : exporter.exported;
}

const preloadedAs = process.env.BENCH_TRACE_TO_MEMORY;
if (preloadedAs) {
  startMemoryTracing(preloadedAs);
  const file = process.env.BENCH_SPANS_FILE;
  if (file) process.on('exit', () => writeFileSync(file, String(exportedSpans())));
}

module.exports = { startMemoryTracing, exportedSpans };
