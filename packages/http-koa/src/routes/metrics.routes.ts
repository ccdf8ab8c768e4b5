import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http-error';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';

export const METRICS_PATH = '/metrics';

/** The Prometheus text exposition format, version 0.0.4 (what prom-client's registry renders). */
export const PROMETHEUS_TEXT_MEDIA_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsRouteOptions {
  /** When set, a scrape must carry `Authorization: Bearer <token>` (`METRICS_TOKEN`); public otherwise. */
  token?: string | null;
}

/**
 * `GET /metrics` for Prometheus: the text `render` produces. The registry lives with whoever composes
 * the app, so this package needs no metrics library.
 */
export function metricsRoute(render: () => Promise<string>, options: MetricsRouteOptions = {}): RouteSpec {
  const expected = options.token ? digest(options.token) : null;
  return defineRoute({
    method: 'GET',
    path: METRICS_PATH,
    operationId: 'getMetrics',
    summary: 'Metrics in the Prometheus text format 0.0.4',
    description: 'Public unless the service is configured with a metrics token, which a scrape then sends as `Authorization: Bearer <token>`.',
    tags: ['meta'],
    auth: 'public',
    responses: {
      200: {
        description: 'Every metric of the process',
        mediaType: PROMETHEUS_TEXT_MEDIA_TYPE,
        schema: { type: 'string', examples: ['# HELP http_requests_total Requests served\n# TYPE http_requests_total counter\nhttp_requests_total 3\n'] },
      },
      401: errorResponse('A metrics token is configured and the scrape does not carry it (AUTH.MISSING_TOKEN, AUTH.INVALID_TOKEN)'),
    },
    handler: async ({ ctx }) => {
      if (expected) checkMetricsToken(ctx.get('authorization'), expected);
      return { status: 200, body: await render() };
    },
  });
}

function checkMetricsToken(header: string, expected: Buffer): void {
  if (header === '') throw new HttpError(401, 'AUTH.MISSING_TOKEN', 'an Authorization: Bearer token is required for the metrics');
  const sent = /^Bearer +(\S+)$/i.exec(header.trim())?.[1];
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  if (sent === undefined || !timingSafeEqual(digest(sent), expected)) throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the metrics token is not valid');
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
