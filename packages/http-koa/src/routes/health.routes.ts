import Router from '@koa/router';

/** Dependency checks for readiness: each resolves when its backend answers, rejects when it does not. */
export type ReadinessChecks = Readonly<Record<string, () => Promise<void>>>;

/** `/health/live` (the process serves requests) and `/health/ready` (every backend answers). */
export function healthRoutes(checks: ReadinessChecks): Router {
  const router = new Router();
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/health/ready', async (ctx) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { status: 'up' }] as const;
        } catch (error) {
          return [name, { status: 'down', error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result.status === 'up');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) };
  });
  return router;
}
