import type { Context, Next } from 'koa';
import { isDomainError } from '@banca/domain';
import { type Logger } from '@banca/domain/ports';
import { HttpError, type ErrorBody } from '../http-error';
import { statusOfDomainError } from '../domain-error-status';
import { requestIdOf } from '../routing/request-state';

/**
 * Every failure leaves as `{ error: { code, message, details? } }` with its status (docs/architecture.md, HTTP);
 * anything unexpected is a 500 that says nothing about internals, and is logged with its stack.
 */
export function errorMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'HTTP.NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      if (status >= 500) {
        logger.error('HTTP_UNHANDLED_ERROR', {
          method: ctx.method,
          path: ctx.path,
          requestId: requestIdOf(ctx),
          error: error instanceof Error ? error.message : String(error),
          stack: error instanceof Error ? error.stack : undefined,
        });
      }
      ctx.status = status;
      ctx.body = body;
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer');
    }
  };
}

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.status, body: errorBody(error.code, error.message, error.details) };
  }
  if (isDomainError(error)) {
    return { status: statusOfDomainError(error.code), body: errorBody(error.code, error.message, error.details) };
  }
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'the server could not complete the request') };
}

function errorBody(code: string, message: string, details?: Readonly<Record<string, unknown>>): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}
