import type { Logger } from '@banca/domain/ports';

export interface Progress {
  update(done: number, label?: string): void;
  finish(): void;
}

/**
 * A progress bar on a terminal; on anything else (a pipe, CI, a log collector) a JSON log line
 * every few seconds and none of the bar's control characters.
 */
export function createProgress(title: string, total: number | null, logger: Logger, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  if (stream.isTTY) {
    let last = 0;
    const render = (done: number, label = '') => {
      const width = 30;
      const ratio = total ? Math.min(1, done / total) : 0;
      const bar = total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${(ratio * 100).toFixed(0).padStart(3)}%` : `${done}`;
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      stream.write(`\r${title} ${bar} ${done}${total ? `/${total}` : ''} ${label} ${seconds}s\x1b[K`);
    };
    return {
      update(done, label) {
        if (Date.now() - last < 100 && done !== total) return;
        last = Date.now();
        render(done, label);
      },
      finish() {
        stream.write('\n');
      },
    };
  }
  let lastLog = 0;
  return {
    update(done, label) {
      if (Date.now() - lastLog < 5000) return;
      lastLog = Date.now();
      logger.info('PROGRESS', { task: title, done, ...(total ? { total } : {}), ...(label ? { label } : {}) });
    },
    finish() {
      logger.info('PROGRESS_DONE', { task: title, durationMs: Date.now() - started });
    },
  };
}
