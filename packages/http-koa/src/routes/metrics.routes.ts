import { defineRoute, type RouteSpec } from '../routing/route-spec';

export const METRICS_PATH = '/metrics';

/** The Prometheus text exposition format, version 0.0.4 (what prom-client's registry renders). */
export const PROMETHEUS_TEXT_MEDIA_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics` for Prometheus: the text `render` produces. The registry lives with whoever composes
 * the app, so this package needs no metrics library.
 */
export function metricsRoute(render: () => Promise<string>): RouteSpec {
  return defineRoute({
    method: 'GET',
    path: METRICS_PATH,
    operationId: 'getMetrics',
    summary: 'Metrics in the Prometheus text format 0.0.4',
    tags: ['meta'],
    auth: 'public',
    responses: {
      200: {
        description: 'Every metric of the process',
        mediaType: PROMETHEUS_TEXT_MEDIA_TYPE,
        schema: { type: 'string', examples: ['# HELP http_requests_total Requests served\n# TYPE http_requests_total counter\nhttp_requests_total 3\n'] },
      },
    },
    handler: async () => ({ status: 200, body: await render() }),
  });
}
