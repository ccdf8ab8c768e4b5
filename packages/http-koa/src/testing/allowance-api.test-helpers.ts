import { fixedClock, memoryLogger } from '@banca/domain/ports';
import { createHttpApp } from '../app';
import { signToken } from '../middleware/auth.middleware';
import { allowanceRoutes } from '../routes/allowance.routes';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { call, serve, type TestRequest } from './http-server.test-helpers';
import { uuidAllowanceStore } from './uuid-allowance.test-helpers';

export const AUTH_SECRET = 'allowance-api-test-secret';
/** 08:00 in Costa Rica. */
export const NOW = new Date('2025-03-03T14:00:00.000Z');

/**
 * The guardian allowance API on a real socket over the in-memory ports, with two guardians who
 * each have a junior, a logger and a record of the timing hook's calls.
 */
export async function startAllowanceApi(options: { bodyLimitBytes?: number; extraRoutes?: RouteSpec[] } = {}) {
  const store = uuidAllowanceStore();
  const logger = memoryLogger('app');
  const timings: Array<{ route: string; method: string; status: number; seconds: number }> = [];
  const guardianId = store.givenGuardian();
  const juniorId = store.givenJunior(guardianId);
  const otherGuardianId = store.givenGuardian();
  const otherJuniorId = store.givenJunior(otherGuardianId);
  const app = createHttpApp({
    routes: [...allowanceRoutes({ schedules: store.schedules, clock: fixedClock(NOW) }), ...(options.extraRoutes ?? [])],
    authSecret: AUTH_SECRET,
    logger,
    bodyLimitBytes: options.bodyLimitBytes,
    onRequestTimed: (route, method, status, seconds) => timings.push({ route, method, status, seconds }),
    validateResponses: true,
  });
  const server = await serve(app);
  const token = signToken({ sub: guardianId, role: 'guardian' }, AUTH_SECRET);
  return {
    app,
    server,
    store,
    logger,
    timings,
    guardianId,
    juniorId,
    otherGuardianId,
    otherJuniorId,
    token,
    otherToken: signToken({ sub: otherGuardianId, role: 'guardian' }, AUTH_SECRET),
    /** A request as the first guardian, unless it carries its own token or is `anonymous` (no token at all). */
    call: (path: string, request: TestRequest & { anonymous?: boolean } = {}) =>
      call(server.base, path, request.anonymous ? request : { token, ...request }),
  };
}

export type AllowanceApi = Awaited<ReturnType<typeof startAllowanceApi>>;

/** A trivial admin-only route: the allowance API has none, and role checks need one. */
export const adminPingRoute = defineRoute({
  method: 'POST',
  path: '/admin/ping',
  operationId: 'adminPing',
  summary: 'Answers the caller\'s subject, to admins only',
  auth: 'admin',
  responses: { 200: { description: 'Pong', schema: { type: 'object', properties: { sub: { type: 'string' } } } } },
  handler: ({ auth }) => ({ status: 200, body: { sub: auth.sub } }),
});
