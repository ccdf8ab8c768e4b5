import type { Logger } from '@banca/domain/ports';
import { defineRoute, type RouteSpec } from '../routing/route-spec';

/** Dependency checks for readiness: each resolves when its backend answers, rejects when it does not. */
export type ReadinessChecks = Readonly<Record<string, () => Promise<void>>>;

const CHECK_SCHEMA = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { enum: ['up', 'down'] } },
};

const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'checks'],
  additionalProperties: false,
  properties: {
    status: { enum: ['ready', 'not ready'] },
    checks: { type: 'object', additionalProperties: CHECK_SCHEMA },
  },
};

/**
 * `/health/live` (the process serves requests) and `/health/ready` (every backend answers). Both are
 * public, so readiness says only which backend is down; why is logged (`READINESS_CHECK_FAIL`), since
 * a backend's error can name hosts, users and versions.
 */
export function healthRoutes(checks: ReadinessChecks, logger: Logger): RouteSpec[] {
  const log = logger.withLayer('http');
  return [
    defineRoute({
      method: 'GET',
      path: '/health/live',
      operationId: 'healthLive',
      summary: 'The process serves requests',
      tags: ['health'],
      auth: 'public',
      responses: {
        200: {
          description: 'Alive',
          schema: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { const: 'ok' } } },
        },
      },
      handler: () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/health/ready',
      operationId: 'healthReady',
      summary: 'Every backend (database, broker, Redis) answers',
      tags: ['health'],
      auth: 'public',
      responses: {
        200: { description: 'Ready', schema: READINESS_SCHEMA },
        503: { description: 'A backend does not answer', schema: READINESS_SCHEMA },
      },
      handler: async () => {
        const results = await Promise.all(
          Object.entries(checks).map(async ([name, check]) => {
            try {
              await check();
              return [name, { status: 'up' }] as const;
            } catch (error) {
              log.warn('READINESS_CHECK_FAIL', { check: name, error: error instanceof Error ? error.message : String(error) });
              return [name, { status: 'down' }] as const;
            }
          }),
        );
        const ready = results.every(([, result]) => result.status === 'up');
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) } };
      },
    }),
  ];
}
