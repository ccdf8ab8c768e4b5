import { Readable } from 'node:stream';
import Router, { type RouterContext } from '@koa/router';
import type { Next } from 'koa';
import { HttpError } from '../http-error';
import { type AuthClaims, DEFAULT_MAX_TOKEN_TTL_SECONDS, requireRole, type TokenPolicy } from '../middleware/auth.middleware';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBodyMiddleware } from '../middleware/json-body.middleware';
import { primaryMediaType, responseBodySchema, type RouteResponseSpec, type RouteSpec, successResponse, typeOfMediaType } from './route-spec';
import { queryValues } from './query-values';
import { setRoute } from './request-state';
import { nameRequestSpan } from './request-span';
import { watchStreamedBody } from './streamed-body';
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
 * query and body are checked against their schemas (400), the representation is negotiated on
 * `Accept` when the route offers several (406), and only then the handler runs. A text answer may be a
 * stream, sent as it is read.
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
    const negotiate = negotiation(spec);
    const middleware = [
      async (ctx: RouterContext, next: Next) => {
        setRoute(ctx, spec.path);
        nameRequestSpan(ctx.method, spec.path);
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
        const mediaType = negotiate(ctx);
        const auth = spec.auth === 'public' ? null : (ctx.state['auth'] as AuthClaims);
        const result = await spec.handler({ params: ctx.params, query, body, auth, mediaType, ctx } as Parameters<RouteSpec['handler']>[0]);
        const declared = spec.responses[result.status];
        if (declared === undefined) {
          destroyStream(result.body);
          throw new Error(`${spec.operationId} answered ${result.status}, which its spec does not declare`);
        }
        const sent = representationOf(declared, mediaType);
        const streamed = result.body instanceof Readable;
        if (sent.text ? typeof result.body !== 'string' && !streamed : streamed) {
          destroyStream(result.body);
          throw new Error(`${spec.operationId} answered ${result.status}, declared as ${sent.mediaType}, with a ${streamed ? 'stream' : 'body'} that is not ${sent.text ? 'text' : 'JSON'}`);
        }
        // A stream is checked by whoever reads it; a body in hand is checked against the schema of what is sent.
        const mismatch = streamed ? null : checkResponse?.get(`${result.status} ${typeOfMediaType(sent.mediaType)}`)?.(result.body);
        if (mismatch) throw new Error(`${spec.operationId} answered ${result.status} with a body that breaks its schema: ${mismatch}`);
        ctx.status = result.status;
        for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
        if (negotiated(spec)) ctx.vary('Accept');
        // Set before the body, so koa does not guess a type from the text.
        if (sent.text) ctx.set('Content-Type', sent.mediaType);
        if (streamed) watchStreamedBody(ctx, result.body as Readable);
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

/** Whether a route offers more than one representation of its answers. */
const negotiated = (spec: RouteSpec): boolean => Object.values(spec.responses).some((response) => (response.alternatives ?? []).length > 0);

/**
 * The media type each request gets: a route offering one representation answers it whatever the
 * `Accept` (as it always has); a negotiated one picks what `Accept` prefers among its success
 * response's media types (the primary one when `Accept` is absent or `*\/*`), else 406.
 */
function negotiation(spec: RouteSpec): (ctx: RouterContext) => string {
  const success = successResponse(spec);
  const offered = success === undefined ? [] : [primaryMediaType(success), ...(success.alternatives ?? []).map((alternative) => alternative.mediaType)];
  if (!negotiated(spec) || offered.length === 0) {
    const only = offered[0] ?? 'application/json';
    return () => only;
  }
  const types = offered.map(typeOfMediaType);
  return (ctx) => {
    const chosen = ctx.accepts(...types);
    if (chosen === false) {
      throw new HttpError(406, 'HTTP.NOT_ACCEPTABLE', `this route answers ${types.join(' or ')}`, { field: 'Accept', reason: `must accept ${types.join(' or ')}` });
    }
    return offered[types.indexOf(chosen as string)]!;
  };
}

/** What an answer of this response is sent as, given the negotiated media type: that one when the response offers it, else its primary one. */
function representationOf(response: RouteResponseSpec, mediaType: string): { mediaType: string; text: boolean } {
  const alternative = (response.alternatives ?? []).find((candidate) => typeOfMediaType(candidate.mediaType) === typeOfMediaType(mediaType));
  if (alternative !== undefined) return { mediaType: alternative.mediaType, text: true };
  return { mediaType: primaryMediaType(response), text: response.mediaType !== undefined };
}

const destroyStream = (body: unknown): void => {
  if (body instanceof Readable) body.destroy();
};

/** Per status and representation type (`200 application/json`, `200 text/csv`): the check of a body in hand. */
function responseChecks(spec: RouteSpec, validator: SchemaValidator) {
  const checks = new Map<string, (value: unknown) => string | null>();
  for (const [status, response] of Object.entries(spec.responses)) {
    const schema = responseBodySchema(response);
    checks.set(`${status} ${typeOfMediaType(primaryMediaType(response))}`, schema ? validator.output(schema) : (value) => (value === undefined ? null : 'expected no body'));
    for (const alternative of response.alternatives ?? []) {
      checks.set(`${status} ${typeOfMediaType(alternative.mediaType)}`, validator.output(alternative.schema ?? { type: 'string' }));
    }
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
