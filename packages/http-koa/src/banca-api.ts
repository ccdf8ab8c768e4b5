import { type Logger, memoryLogger } from '@banca/domain/ports';
import { DEFAULT_OPENAPI_INFO } from './app';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './openapi/openapi';
import type { AdminOperations } from './routes/admin.port';
import { adminRoutes } from './routes/admin.routes';
import { allowanceReadsRoutes, type AllowanceReadsDeps } from './routes/allowance-reads.routes';
import { allowanceRoutes, type AllowanceRoutesDeps } from './routes/allowance.routes';
import { type ClosingsOperations, closingsRoutes } from './routes/closings.routes';
import { type DeadLetterOperations, deadLetterRoutes } from './routes/dead-letters.routes';
import { healthRoutes, type ReadinessChecks } from './routes/health.routes';
import { metricsRoute } from './routes/metrics.routes';
import { openApiRoute } from './routes/openapi.routes';
import { type ReconciliationOperations, reconciliationRoutes } from './routes/reconciliation.routes';
import { type RunHistory, runsRoutes } from './routes/runs.routes';
import { type StatementsOperations, statementsRoutes } from './routes/statements.routes';
import type { RouteSpec } from './routing/route-spec';

/** What the service's whole API needs from the process that serves it. */
export interface BancaApiDeps {
  readiness: ReadinessChecks;
  logger: Logger;
  allowance: AllowanceRoutesDeps;
  admin: AdminOperations & RunHistory & ReconciliationOperations;
  closings: ClosingsOperations;
  statements: StatementsOperations;
  allowanceReads: AllowanceReadsDeps;
  deadLetters: DeadLetterOperations;
  metrics: { render: () => Promise<string>; token?: string | null };
}

/** Every route of the service (docs/architecture.md, HTTP); `createHttpApp` adds `GET /openapi.json`. */
export function bancaApiRoutes(deps: BancaApiDeps): RouteSpec[] {
  return [
    ...healthRoutes(deps.readiness, deps.logger),
    ...allowanceRoutes(deps.allowance),
    ...adminRoutes(deps.admin),
    ...runsRoutes(deps.admin),
    ...reconciliationRoutes(deps.admin),
    ...closingsRoutes(deps.closings),
    ...statementsRoutes(deps.statements),
    ...allowanceReadsRoutes(deps.allowanceReads),
    ...deadLetterRoutes(deps.deadLetters),
    metricsRoute(deps.metrics.render, { token: deps.metrics.token ?? null }),
  ];
}

/**
 * The document `GET /openapi.json` serves, built without a running service: clients generate their
 * types from it at build time (the operator console does). No handler runs, so the operations behind
 * the routes are never reached; one that were would throw.
 */
export function bancaApiDocument(info: OpenApiInfo = DEFAULT_OPENAPI_INFO): OpenApiDocument {
  const unserved = notServed('operations') as never;
  const routes = bancaApiRoutes({
    readiness: {},
    logger: memoryLogger('openapi'),
    allowance: unserved,
    admin: unserved,
    closings: unserved,
    statements: unserved,
    allowanceReads: unserved,
    deadLetters: unserved,
    metrics: { render: unserved },
  });
  const document: OpenApiDocument = buildOpenApiDocument([...routes, openApiRoute(() => document)], info);
  return document;
}

/** Any member of it, at any depth, is another such object; calling one throws. */
function notServed(path: string): unknown {
  const target = () => undefined;
  return new Proxy(target, {
    get: (_target, key) => (key === 'then' ? undefined : notServed(`${path}.${String(key)}`)),
    apply: () => {
      throw new Error(`${path} was called while only describing the API`);
    },
  });
}
