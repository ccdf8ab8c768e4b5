import Router, { type RouterContext } from '@koa/router';
import type { Next } from 'koa';
import { HttpError } from '../http-error';
import { type AuthClaims, DEFAULT_MAX_TOKEN_TTL_SECONDS, requireRole, type TokenPolicy } from '../middleware/auth.middleware';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBodyMiddleware } from '../middleware/json-body.middleware';
import { responseBodySchema, type RouteSpec } from './route-spec';
import { queryValues } from './query-values';
import { setRoute } from './request-state';
import { createSchemaValidator, type SchemaValidator } from './schema-validator';

export interface RouteRouterOptions {
  authSecret: string;
  /** Tokens valid for longer are refused (24 hours by default). */
  maxTokenTtlSeconds?: number;
  /** Request bodies over this size are refused with 413 (64 KiB by default). */
  bodyLimitBytes?: number;
  /** Checks every response body against its documented schema (tests turn this on); a mismatch is a 500. */
  validateResponses?: boolean;
}

/**
 * A koa router for the route specs. Per request: the route is noted for logs, the token is checked
 * (401/403) before a byte of the body is read, then the body is read as JSON (415/413/400), params,
 * query and body are checked against their schemas (400), and only then the handler runs.
 */
export function buildRouteRouter(routes: readonly RouteSpec[], options: RouteRouterOptions): Router {
  assertUnique(routes);
  const validator = createSchemaValidator();
  const readBody = jsonBodyMiddleware(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES);
  const tokens: TokenPolicy = { secret: options.authSecret, maxTokenTtlSeconds: options.maxTokenTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS };
  const router = new Router();
  for (const spec of routes) {
    const checkParams = spec.params === undefined ? undefined : validator.input(spec.params, 'params');
    const checkQuery = spec.query === undefined ? undefined : validator.input(spec.query, 'query');
    const checkBody = spec.body === undefined ? undefined : validator.input(spec.body, 'body');
    const checkResponse = options.validateResponses ? responseChecks(spec, validator) : undefined;
    const middleware = [
      async (ctx: RouterContext, next: Next) => {
        setRoute(ctx, spec.path);
        await next();
      },
      ...(spec.auth === 'public' ? [] : [requireRole(spec.auth, tokens)]),
      readBody,
      async (ctx: RouterContext) => {
        checkParams?.(ctx.params);
        const query = readQuery(spec, ctx.querystring);
        checkQuery?.(query);
        const body = (ctx.request as { body?: unknown }).body;
        if (checkBody) {
          if (body !== undefined || spec.bodyOptional !== true) checkBody(body);
        } else if (body !== undefined) {
          throw new HttpError(400, 'VALIDATION.INVALID_INPUT', 'this route takes no request body', { field: 'body', reason: 'must be empty' });
        }
        const auth = spec.auth === 'public' ? null : (ctx.state['auth'] as AuthClaims);
        const result = await spec.handler({ params: ctx.params, query, body, auth, ctx } as Parameters<RouteSpec['handler']>[0]);
        const declared = spec.responses[result.status];
        if (declared === undefined) throw new Error(`${spec.operationId} answered ${result.status}, which its spec does not declare`);
        if (declared.mediaType !== undefined && typeof result.body !== 'string') {
          throw new Error(`${spec.operationId} answered ${result.status}, declared as ${declared.mediaType}, without a text body`);
        }
        const mismatch = checkResponse?.get(result.status)?.(result.body);
        if (mismatch) throw new Error(`${spec.operationId} answered ${result.status} with a body that breaks its schema: ${mismatch}`);
        ctx.status = result.status;
        for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
        // Set before the body, so koa does not guess a type from the text.
        if (declared.mediaType !== undefined) ctx.set('Content-Type', declared.mediaType);
        if (result.body !== undefined) ctx.body = result.body;
      },
    ];
    router.register(spec.path, [spec.method], middleware, { name: spec.operationId });
  }
  return router;
}

function readQuery(spec: RouteSpec, querystring: string): Record<string, unknown> {
  if (spec.query !== undefined) return queryValues(spec.query, querystring);
  const [name] = new URLSearchParams(querystring).keys();
  if (name !== undefined) throw new HttpError(400, 'VALIDATION.INVALID_INPUT', `${name} is not allowed`, { field: name, reason: 'is not allowed' });
  return {};
}

function responseChecks(spec: RouteSpec, validator: SchemaValidator) {
  const checks = new Map<number, (value: unknown) => string | null>();
  for (const [status, response] of Object.entries(spec.responses)) {
    const schema = responseBodySchema(response);
    checks.set(Number(status), schema ? validator.output(schema) : (value) => (value === undefined ? null : 'expected no body'));
  }
  return checks;
}

function assertUnique(routes: readonly RouteSpec[]): void {
  const seen = new Set<string>();
  for (const { method, path, operationId } of routes) {
    for (const key of [`${method} ${path}`, `operationId ${operationId}`]) {
      if (seen.has(key)) throw new Error(`two routes share ${key}`);
      seen.add(key);
    }
  }
}
