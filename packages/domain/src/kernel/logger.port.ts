/** Structured log lines `{ level, time, layer, action, payload }` (docs/architecture.md, Running the jobs). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  time: string;
  layer: string;
  action: string;
  payload?: Readonly<Record<string, unknown>>;
}

export interface Logger {
  log(level: LogLevel, action: string, payload?: Readonly<Record<string, unknown>>): void;
  info(action: string, payload?: Readonly<Record<string, unknown>>): void;
  warn(action: string, payload?: Readonly<Record<string, unknown>>): void;
  error(action: string, payload?: Readonly<Record<string, unknown>>): void;
  /** The same sink, writing under another layer name (`job`, `worker`, `http`, …). */
  withLayer(layer: string): Logger;
}

/** A logger that hands complete entries to a sink (stdout in processes, an array in tests). */
export function createLogger(sink: (entry: LogEntry) => void, layer = 'app', now: () => Date = () => new Date()): Logger {
  const log = (level: LogLevel, action: string, payload?: Readonly<Record<string, unknown>>) =>
    sink(payload === undefined ? { level, time: now().toISOString(), layer, action } : { level, time: now().toISOString(), layer, action, payload });
  return {
    log,
    info: (action, payload) => log('info', action, payload),
    warn: (action, payload) => log('warn', action, payload),
    error: (action, payload) => log('error', action, payload),
    withLayer: (child) => createLogger(sink, child, now),
  };
}

/** Keeps entries in memory: for tests, and for callers that want a run's log lines back. */
export function memoryLogger(layer = 'test'): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return Object.assign(createLogger((entry) => entries.push(entry), layer), { entries });
}
