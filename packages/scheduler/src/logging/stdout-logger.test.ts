import { expect } from 'chai';
import { context, trace } from '@opentelemetry/api';
import { useInMemoryTracing } from '@banca/test-support';
import { createStdoutLogger } from './stdout-logger';

describe('createStdoutLogger', () => {
  it('writes one JSON line per entry with level, time, layer, action and payload', () => {
    const lines: string[] = [];
    const logger = createStdoutLogger({ level: 'info', pretty: false, layer: 'job', write: (line) => lines.push(line) });
    logger.info('SETTLEMENT_COMPLETE', { settledCount: 3 });
    const entry = JSON.parse(lines[0]!);
    expect(entry).to.include({ level: 'info', layer: 'job', action: 'SETTLEMENT_COMPLETE' });
    expect(entry.payload).to.deep.equal({ settledCount: 3 });
    expect(Number.isNaN(Date.parse(entry.time))).to.equal(false);
  });

  it('drops entries under the configured level', () => {
    const lines: string[] = [];
    const logger = createStdoutLogger({ level: 'warn', pretty: false, write: (line) => lines.push(line) });
    logger.info('QUIET');
    logger.warn('LOUD');
    expect(lines.map((line) => JSON.parse(line).action)).to.deep.equal(['LOUD']);
  });

  it('writes a readable line when asked to be pretty', () => {
    const lines: string[] = [];
    createStdoutLogger({ level: 'info', pretty: true, layer: 'http', write: (line) => lines.push(line) }).warn('JOB_SKIP', { job: 'settlement' });
    expect(lines[0]).to.match(/^\S+Z WARN {2}\[http\] JOB_SKIP \{"job":"settlement"\}$/);
  });

  it('keeps the line shape: level, time, layer, action, payload in that order', () => {
    const lines: string[] = [];
    createStdoutLogger({ level: 'info', pretty: false, layer: 'job', write: (line) => lines.push(line) }).error('JOB_FAIL', { job: 'cleanup' });
    expect(Object.keys(JSON.parse(lines[0]!))).to.deep.equal(['level', 'time', 'layer', 'action', 'payload']);
  });

  it('redacts secrets in the payload', () => {
    const lines: string[] = [];
    createStdoutLogger({ level: 'info', pretty: false, write: (line) => lines.push(line) }).warn('AMQP_CONNECT_FAIL', { url: 'amqp://guest:guest@127.0.0.1:5672', authorization: 'Bearer x.y.z' });
    expect(JSON.parse(lines[0]!).payload).to.deep.equal({ url: 'amqp://guest:[REDACTED]@127.0.0.1:5672', authorization: '[REDACTED]' });
  });

  describe('inside a span', () => {
    useInMemoryTracing();

    it('adds the trace and span ids of the active span, and none outside it', () => {
      const lines: string[] = [];
      const logger = createStdoutLogger({ level: 'info', pretty: false, write: (line) => lines.push(line) });
      const span = trace.getTracer('test').startSpan('job settlement');
      context.with(trace.setSpan(context.active(), span), () => logger.info('SETTLEMENT_COMPLETE', { settledCount: 1 }));
      span.end();
      logger.info('OUTSIDE');
      const [inside, outside] = lines.map((line) => JSON.parse(line));
      expect(inside).to.include({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      expect(outside).to.not.have.any.keys('trace_id', 'span_id');
    });

    it('names the trace in the pretty line', () => {
      const lines: string[] = [];
      const logger = createStdoutLogger({ level: 'info', pretty: true, layer: 'job', write: (line) => lines.push(line) });
      const span = trace.getTracer('test').startSpan('job cleanup');
      context.with(trace.setSpan(context.active(), span), () => logger.info('CLEANUP_COMPLETE'));
      span.end();
      expect(lines[0]).to.match(new RegExp(`^\\S+Z INFO  \\[job\\] CLEANUP_COMPLETE trace=${span.spanContext().traceId}$`));
    });
  });
});
