import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

type Env = Record<string, string | undefined>;

/** Tracing asked for in a way this process cannot honour (exit 2, like any configuration error). */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

/** Tracing of this process, once started: `shutdown` exports what is still buffered. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;
/** Requests that are not the product's work: probes, scrapes and the console's files would fill every trace store. */
const UNTRACED_PATHS = ['/health/', '/metrics', '/console'];

let running: Telemetry | null = null;

/**
 * Whether the standard OpenTelemetry variables ask for traces (docs/architecture.md, Tracing):
 * `OTEL_TRACES_EXPORTER` naming an exporter other than `none`, or an OTLP endpoint. Nothing set, or
 * `OTEL_SDK_DISABLED=true`: no SDK is started, the API stays a no-op and nothing is exported.
 */
export function tracingRequested(env: Env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = exportersOf(env);
  if (exporters !== null) return exporters.some((name) => name !== 'none');
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}

/**
 * Starts tracing for this process when the environment asks for it (or `spanProcessors` are given,
 * as benchmarks and tests do), and registers the instrumentations of HTTP, PostgreSQL and Redis (the HTTP
 * API names each request's span after its route itself).
 * It must run before those libraries are loaded: `bin/banca.js` requires `register` first. Returns
 * null when tracing stays off. An exporter name it does not know is a configuration error.
 */
export function startTelemetry(env: Env, options: { spanProcessors?: SpanProcessor[]; serviceName?: string } = {}): Telemetry | null {
  if (running) return running;
  const exporters = exportersOf(env);
  const unknown = (exporters ?? []).filter((name) => !(EXPORTERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new TelemetryConfigError(`OTEL_TRACES_EXPORTER: unknown exporter ${unknown.join(', ')} (expected ${EXPORTERS.join(', ')})`);
  const spanProcessors = options.spanProcessors ?? (tracingRequested(env) ? (exporters ?? ['otlp']).filter((name) => name !== 'none').map((name) => new BatchSpanProcessor(exporterNamed(name))) : []);
  if (spanProcessors.length === 0) return null;

  // OTEL_RESOURCE_ATTRIBUTES describe the deployment; the service is OTEL_SERVICE_NAME, else banca-jobs.
  const serviceName = options.serviceName ?? (env['OTEL_SERVICE_NAME']?.trim() || 'banca-jobs');
  const resource = detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ 'service.name': serviceName }));
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.some((path) => (request.url ?? '').startsWith(path)) }),
      // Statements outside a traced request, job or delivery (pool checks, polls) make no traces of their own.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  const telemetry: Telemetry = {
    async shutdown() {
      if (running === telemetry) running = null;
      unregister();
      await provider.shutdown();
    },
  };
  running = telemetry;
  return telemetry;
}

/** The tracing started in this process, if any: shutdown paths flush it. */
export function runningTelemetry(): Telemetry | null {
  return running;
}

function exportersOf(env: Env): string[] | null {
  const value = env['OTEL_TRACES_EXPORTER']?.trim();
  if (!value) return null;
  return value.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
}

function exporterNamed(name: string): SpanExporter {
  // The OTLP exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
  return name === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter();
}
