import { randomUUID } from 'node:crypto';
import type { Logger } from '@banca/domain/ports';
import type { Context, Next } from 'koa';
import { requestIdOf, routeOf, setRequestId } from '../routing/request-state';
import { isStreamed, whenStreamEnds } from '../routing/streamed-body';
import { toErrorResponse } from './error.middleware';

/** Called once per request with the route template (or `(unmatched)`), for metrics. */
export type RequestTimedHook = (route: string, method: string, status: number, seconds: number) => void;

const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's id is echoed only when it is plainly an id: nothing that could forge a header or a log line.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id`, or a new one) echoed in the response, and
 * logs one `HTTP_REQUEST { method, route, status, durationMs, requestId }` line when it ends. Sits
 * inside the error middleware, so a failure is logged with the status the error will get. A streamed
 * answer ends with its last byte, not with its handler: its line comes then, with `completed`, and one
 * cut off says why (`HTTP_STREAM_ABORTED` when the client went away, `HTTP_STREAM_FAILED` when the
 * stream failed).
 */
export function requestLogMiddleware(logger: Logger, onRequestTimed?: RequestTimedHook) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const started = process.hrtime.bigint();
    const offered = ctx.get(REQUEST_ID_HEADER);
    const requestId = ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    setRequestId(ctx, requestId);
    ctx.set(REQUEST_ID_HEADER, requestId);
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      status = toErrorResponse(error).status;
      throw error;
    } finally {
      if (status < 400 && isStreamed(ctx)) {
        whenStreamEnds(ctx, ({ completed, failure }) => {
          const route = routeOf(ctx);
          if (!completed) {
            const cause = { method: ctx.method, route, requestId: requestIdOf(ctx) };
            if (failure === null) logger.warn('HTTP_STREAM_ABORTED', { ...cause, reason: 'the client closed the connection before the end' });
            else logger.error('HTTP_STREAM_FAILED', { ...cause, error: failure.message });
          }
          finish(ctx, status, started, completed ? 'info' : failure === null ? 'warn' : 'error', { completed });
        });
      } else {
        finish(ctx, status, started, status >= 500 ? 'error' : 'info');
      }
    }
  };

  function finish(ctx: Context, status: number, started: bigint, level: 'info' | 'warn' | 'error', extra: Record<string, unknown> = {}): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeOf(ctx);
    const entry = { method: ctx.method, route, status, durationMs: Math.round(seconds * 1e6) / 1e3, requestId: requestIdOf(ctx), ...extra };
    logger.log(level, 'HTTP_REQUEST', entry);
    try {
      onRequestTimed?.(route, ctx.method, status, seconds);
    } catch (error) {
      logger.warn('HTTP_TIMING_HOOK_FAILED', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
