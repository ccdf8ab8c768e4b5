import { expect } from 'chai';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { runningTelemetry, startTelemetry, TelemetryConfigError, tracingRequested } from './telemetry';

describe('telemetry', () => {
  it('is requested by an OTLP endpoint or an exporter other than none, and never when the SDK is disabled', () => {
    expect(tracingRequested({})).to.equal(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'banca' })).to.equal(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).to.equal(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).to.equal(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).to.equal(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).to.equal(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).to.equal(false);
  });

  it('starts nothing when tracing is not requested: the API stays a no-op', () => {
    expect(startTelemetry({})).to.equal(null);
    expect(runningTelemetry()).to.equal(null);
    const span = trace.getTracer('test').startSpan('x');
    expect(span.isRecording()).to.equal(false);
    span.end();
  });

  it('refuses an exporter it does not know, naming the variable', () => {
    expect(() => startTelemetry({ OTEL_TRACES_EXPORTER: 'otlp,zipkin' })).to.throw(TelemetryConfigError, /OTEL_TRACES_EXPORTER: unknown exporter zipkin/);
    expect(runningTelemetry()).to.equal(null);
  });

  it('records spans once started with a span processor, and stops recording after shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = startTelemetry({ OTEL_SERVICE_NAME: 'banca-test' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    try {
      expect(runningTelemetry()).to.equal(telemetry);
      trace.getTracer('test').startSpan('job cleanup').end();
      expect(exporter.getFinishedSpans().map((span) => [span.name, span.resource.attributes['service.name']])).to.deep.equal([['job cleanup', 'banca-test']]);
    } finally {
      await telemetry!.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    }
    expect(runningTelemetry()).to.equal(null);
  });
});
