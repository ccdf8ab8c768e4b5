import type { Readable } from 'node:stream';
import type { Context } from 'koa';

const STREAMED = 'streamedBody';

/** How a streamed answer ended: sent whole, or cut off by the client going away or by the stream failing. */
export interface StreamOutcome {
  completed: boolean;
  /** The stream's own failure (the database went away mid-export); null when it did not fail. */
  failure: Error | null;
}

interface StreamWatch {
  error: Error | null;
}

// Errors a streamed answer's log line already told: koa hands them to the app's 'error' listener too.
const told = new WeakSet<Error>();

/**
 * Notes that the answer is `stream`, so the request is logged when its last byte is sent rather than
 * when the handler returns, with how it ended. Koa pipes the stream to the response: a stream that fails
 * destroys the connection (a chunked answer without its last chunk, which no client takes for whole),
 * and a client that goes away destroys the stream, whose `destroy` releases what it holds.
 */
export function watchStreamedBody(ctx: Context, stream: Readable): void {
  const watch: StreamWatch = { error: null };
  ctx.state[STREAMED] = watch;
  stream.once('error', (error: Error) => {
    watch.error ??= error;
    told.add(error);
  });
}

export const isStreamed = (ctx: Context): boolean => ctx.state[STREAMED] !== undefined;

/** Calls `done` once the streamed answer of `ctx` has ended, either way. */
export function whenStreamEnds(ctx: Context, done: (outcome: StreamOutcome) => void): void {
  const watch = ctx.state[STREAMED] as StreamWatch;
  const { res } = ctx;
  const report = () => {
    const completed = res.writableFinished && watch.error === null;
    done({ completed, failure: completed || watch.error === null || isPrematureClose(watch.error) ? null : watch.error });
  };
  if (res.closed) report();
  else res.once('close', report);
}

/** An error a streamed answer's own log line has told already. */
export const isToldStreamError = (error: unknown): boolean => error instanceof Error && told.has(error);

const isPrematureClose = (error: Error): boolean => (error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
