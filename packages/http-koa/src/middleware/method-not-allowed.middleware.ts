import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { HttpError } from '../http-error';

/**
 * After the routes: a path the router knows, asked with a method it does not serve, is 405 with an
 * `Allow` header (OPTIONS gets 204 and the same header) rather than the 404 of an unknown path.
 */
export function methodNotAllowedMiddleware(router: Router) {
  return async (ctx: Context, next: Next): Promise<void> => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const allowed = [...new Set(router.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))];
    if (allowed.length === 0) return;
    ctx.set('Allow', [...allowed, 'OPTIONS'].join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    throw new HttpError(405, 'HTTP.METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { allowed });
  };
}
