import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from '@banca/domain/ports';
import { createStdoutLogger, loadConfig, type BancaConfig } from '@banca/scheduler';

export type ParentMessage = { type: string; [key: string]: unknown };

/** Peak resident set size of this process so far (VmHWM), in bytes. */
export function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

/** A full garbage collection of this process, enabled only when asked for (never during a measured run). */
export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export function send(message: ParentMessage): void {
  process.send?.(message);
}

/** The process's configuration and logger, read from the environment as the real processes do. */
export function processSetup(): { config: BancaConfig; logger: Logger } {
  const config = loadConfig(process.env);
  return { config, logger: createStdoutLogger({ level: config.log.level, pretty: false }) };
}

/**
 * Runs `handlers` for the parent's messages; `stop` (or a lost parent) runs `onStop` and exits.
 * A failing handler is reported as an `error` message.
 */
export function serve(handlers: Record<string, (message: ParentMessage) => Promise<void>>, onStop: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await onStop();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void stop());
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') {
      void stop();
      return;
    }
    const handler = handlers[message.type];
    if (!handler) {
      send({ type: 'error', message: `unknown message ${message.type}` });
      return;
    }
    handler(message).catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  });
}

export function fail(error: unknown): never {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
