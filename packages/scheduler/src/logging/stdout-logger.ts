import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import { createLogger, type LogEntry, type Logger, type LogLevel } from '@banca/domain/ports';
import { redactSecrets } from './redact-secrets';

/**
 * JSON lines on stdout through pino (docs/architecture.md, Logs): `level`, `time`, `layer`, `action`,
 * `payload`, and `trace_id` / `span_id` while a span is active; secrets redacted. `pretty` is for a
 * person at a terminal. Entries under `level` are dropped. `write` takes the lines instead of stdout.
 */
export function createStdoutLogger(options: { level: LogLevel; pretty: boolean; layer?: string; write?: (line: string) => void }): Logger {
  const write = options.write ?? null;
  const destination = options.pretty
    ? { write: (chunk: string) => emit(write, prettyLine(JSON.parse(chunk) as PinoLine)) }
    : write
      ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
      : pino.destination({ dest: 1, sync: true });
  const lines = pino(
    {
      level: options.level,
      base: null,
      timestamp: false,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return createLogger((entry) => {
    const fields: Record<string, unknown> = { time: entry.time, layer: entry.layer, action: entry.action };
    if (entry.payload !== undefined) fields['payload'] = redactSecrets(entry.payload);
    const span = trace.getActiveSpan()?.spanContext();
    if (span && isSpanContextValid(span)) {
      fields['trace_id'] = span.traceId;
      fields['span_id'] = span.spanId;
    }
    lines[entry.level](fields);
  }, options.layer ?? 'app');
}

type PinoLine = LogEntry & { trace_id?: string; span_id?: string };

function emit(write: ((line: string) => void) | null, line: string): void {
  if (write) write(line);
  else process.stdout.write(`${line}\n`);
}

function prettyLine(entry: PinoLine): string {
  const payload = entry.payload === undefined ? '' : ` ${JSON.stringify(entry.payload)}`;
  const traced = entry.trace_id === undefined ? '' : ` trace=${entry.trace_id}`;
  return `${entry.time} ${entry.level.toUpperCase().padEnd(5)} [${entry.layer}] ${entry.action}${payload}${traced}`;
}
