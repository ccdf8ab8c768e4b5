import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * Registers a tracer provider exporting every span, as it ends, to the returned in-memory exporter for
 * the enclosing describe (mocha hooks); afterwards the OpenTelemetry API is a no-op again, so other
 * suites in the same process are not traced.
 */
export function useInMemoryTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider | null = null;
  before(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });
  after(async () => {
    await provider?.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });
  return exporter;
}
