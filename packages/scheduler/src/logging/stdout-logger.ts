import { createLogger, type LogEntry, type Logger, type LogLevel } from '@banca/domain/ports';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON lines on stdout (docs/architecture.md, Running the jobs), one entry per line; `pretty` is for a person at a terminal.
 * Entries under `level` are dropped.
 */
export function createStdoutLogger(options: { level: LogLevel; pretty: boolean; layer?: string; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const minimum = RANK[options.level];
  return createLogger((entry) => {
    if (RANK[entry.level] < minimum) return;
    write(options.pretty ? prettyLine(entry) : JSON.stringify(entry));
  }, options.layer ?? 'app');
}

function prettyLine(entry: LogEntry): string {
  const payload = entry.payload === undefined ? '' : ` ${JSON.stringify(entry.payload)}`;
  return `${entry.time} ${entry.level.toUpperCase().padEnd(5)} [${entry.layer}] ${entry.action}${payload}`;
}
