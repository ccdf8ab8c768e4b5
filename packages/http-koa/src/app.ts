import type { Logger } from '@banca/domain/ports';
import type Router from '@koa/router';
import Koa from 'koa';
import { consoleFilesMiddleware } from './middleware/console-files.middleware';
import { errorMiddleware } from './middleware/error.middleware';
import { methodNotAllowedMiddleware } from './middleware/method-not-allowed.middleware';
import { type RequestTimedHook, requestLogMiddleware } from './middleware/request-log.middleware';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './openapi/openapi';
import { openApiRoute } from './routes/openapi.routes';
import { buildRouteRouter } from './routing/route-router';
import { isToldStreamError } from './routing/streamed-body';
import type { RouteSpec } from './routing/route-spec';

export interface HttpAppOptions {
  routes: readonly RouteSpec[];
  /** HS256 secret of the bearer tokens (`AUTH_JWT_SECRET`). */
  authSecret: string;
  /** Tokens valid for longer are refused (`AUTH_MAX_TOKEN_TTL`, 24 hours by default). */
  maxTokenTtlSeconds?: number;
  logger: Logger;
  /** Request bodies over this size are refused with 413 (64 KiB by default). */
  bodyLimitBytes?: number;
  /** Called when each request ends: attach metrics here. */
  onRequestTimed?: RequestTimedHook;
  openApiInfo?: OpenApiInfo;
  /** Check every response against its documented schema (tests); a mismatch answers 500. */
  validateResponses?: boolean;
  /** The operator console's build output, served at `/console`; no console when absent. */
  consoleDir?: string;
}

export type HttpApp = Koa & {
  /** The router of every route served, `GET /openapi.json` included. */
  readonly router: Router;
  readonly openApiDocument: OpenApiDocument;
};

export const DEFAULT_OPENAPI_INFO: OpenApiInfo = { title: 'Banca Jobs API', version: '0.1.0' };

/**
 * The koa application of the route specs: errors shaped as docs/architecture.md (HTTP), one log line per request at
 * layer `http`, the routes plus `GET /openapi.json`, and 405 for a known path asked with a method it
 * does not serve. Each route reads its JSON body itself, after its token check, so an anonymous
 * caller learns nothing from how the body is refused.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  if (options.authSecret === '') throw new Error('createHttpApp needs a non-empty authSecret');
  const logger = options.logger.withLayer('http');
  const routes = [...options.routes, openApiRoute(() => document)];
  const document = buildOpenApiDocument(routes, options.openApiInfo ?? DEFAULT_OPENAPI_INFO);
  const router = buildRouteRouter(routes, {
    authSecret: options.authSecret,
    maxTokenTtlSeconds: options.maxTokenTtlSeconds,
    bodyLimitBytes: options.bodyLimitBytes,
    validateResponses: options.validateResponses ?? false,
  });

  const app = new Koa();
  // What reaches koa past the error middleware is a connection that ended badly (a client cut off at the
  // request timeout, a reset mid-answer); koa would print each as a stack on stderr, a client's to trigger.
  // A streamed answer that failed or was cut off has been told by its request's own log line.
  app.on('error', (error: Error & { code?: unknown }) => {
    if (isToldStreamError(error)) return;
    logger.warn('HTTP_CONNECTION_ERROR', { code: typeof error.code === 'string' ? error.code : null, error: error.message });
  });
  app
    .use(errorMiddleware(logger))
    .use(requestLogMiddleware(logger, options.onRequestTimed));
  if (options.consoleDir !== undefined) app.use(consoleFilesMiddleware({ dir: options.consoleDir }));
  app
    .use(methodNotAllowedMiddleware(router))
    .use(router.routes());
  return Object.assign(app, { router, openApiDocument: document });
}
