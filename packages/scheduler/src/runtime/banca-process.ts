import type { Container } from 'inversify';
import type { Logger } from '@banca/domain/ports';
import { ConfigError, type BancaConfig } from '../config/env.config';
import { assertAuthSecretConfigured } from '../composition/auth-secret';
import { closeProcessContainer, createProcessContainer } from '../composition/process-container';
import type { ProcessKind } from '../composition/process-kind';
import { ServiceIds as Ids, type BackendChoice } from '../composition/service-ids';
import type { BancaDatabase } from '@banca/adapters-postgres';
import type { JobScheduler } from '../jobs/job-scheduler';
import type { AllowanceWorker } from './allowance-worker';
import type { HttpServer } from './http-server';

export interface RunningProcess {
  kind: ProcessKind;
  /** The HTTP port actually bound (api and all-in-one), else null. */
  port: number | null;
  backends: BackendChoice;
  container: Container;
  /** Graceful shutdown; resolves once everything is closed. */
  stop(reason: string): Promise<void>;
}

/** After a cut-off, how long the cancelled runs get to record their failure and release their locks. */
const CUT_OFF_GRACE_MS = 5000;

const HAS_HTTP: readonly ProcessKind[] = ['all-in-one', 'api'];
const HAS_SCHEDULER: readonly ProcessKind[] = ['all-in-one', 'scheduler'];
const HAS_WORKER: readonly ProcessKind[] = ['all-in-one', 'worker'];

/**
 * Starts one process: builds its container, its backends, and the parts its kind runs. Several
 * processes share state only through real services, so the embedded PGlite and the in-process
 * queue are refused outside the all-in-one.
 */
export async function startBancaProcess(kind: ProcessKind, config: BancaConfig, logger: Logger, seedOnFirstStart?: (database: BancaDatabase) => Promise<void>): Promise<RunningProcess> {
  if (kind !== 'all-in-one') {
    const missing = [!config.databaseUrl && 'DATABASE_URL', kind !== 'api' && !config.rabbitmqUrl && 'RABBITMQ_URL'].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError([`the ${kind} process shares its state through real services: set ${missing.join(' and ')} (the embedded backends exist only in the all-in-one)`]);
    }
  }
  if (HAS_HTTP.includes(kind)) assertAuthSecretConfigured(config);
  const container = createProcessContainer(kind, config, logger);
  try {
    const database = await container.getAsync(Ids.Database);
    if (seedOnFirstStart) await seedOnFirstStart(database);
    const scheduler = HAS_SCHEDULER.includes(kind) ? await container.getAsync(Ids.JobScheduler) : null;
    const worker = HAS_WORKER.includes(kind) ? await container.getAsync(Ids.AllowanceWorker) : null;
    const http = HAS_HTTP.includes(kind) ? await container.getAsync(Ids.HttpServer) : null;
    const backends = await container.getAsync(Ids.Backends);
    await worker?.start();
    await scheduler?.start();
    const port = http ? await http.start() : null;
    const auth = HAS_HTTP.includes(kind) ? container.get(Ids.AuthSecret) : null;
    logger.info('BANCA_STARTED', {
      process: kind,
      backends,
      port,
      ...(auth ? { authSecretFrom: auth.source === 'environment' ? 'AUTH_JWT_SECRET' : `development secret in ${auth.file}` } : {}),
      ...(port ? { tryIt: `npx banca token --sub <guardian-id> --role guardian, then curl -H "Authorization: Bearer <token>" http://localhost:${port}/guardians/me/allowances` } : {}),
      ...(port ? { console: `http://localhost:${port}/console (npx banca console prints a sign-in link)` } : {}),
    });
    return { kind, port, backends, container, stop: (reason) => shutdown(container, database, config, logger, reason, { scheduler, worker, http }) };
  } catch (error) {
    await closeProcessContainer(container).catch(() => undefined);
    throw error;
  }
}

/**
 * As docs/architecture.md (Running the jobs) has it: stop scheduling, stop consuming, stop accepting requests, wait for active operations
 * up to the timeout, then close the broker, Redis and the pool. A run still going at the timeout is
 * cut off: its running statement is cancelled and PostgreSQL rolls it back, so a batch is whole or absent.
 */
async function shutdown(
  container: Container,
  database: BancaDatabase,
  config: BancaConfig,
  logger: Logger,
  reason: string,
  parts: { scheduler: JobScheduler | null; worker: AllowanceWorker | null; http: HttpServer | null },
): Promise<void> {
  const started = Date.now();
  const activeOperations = container.get(Ids.ActiveOperations);
  logger.info('SHUTDOWN_STARTED', { reason, active: activeOperations.active(), timeoutMs: config.shutdownTimeoutMs });
  parts.scheduler?.stop();
  await Promise.all([parts.worker?.stop(), parts.http?.stop(config.shutdownTimeoutMs)]);
  const remainingMs = Math.max(0, config.shutdownTimeoutMs - (Date.now() - started));
  const drained = await activeOperations.drain(remainingMs);
  if (!drained) {
    logger.warn('SHUTDOWN_TIMEOUT', { cutOff: activeOperations.active() });
    // Cancelled while the backends are still open, the runs record their failure and release their locks.
    await database.cancelRunning();
    await activeOperations.drain(CUT_OFF_GRACE_MS);
  }
  await closeProcessContainer(container);
  logger.info('SHUTDOWN_COMPLETE', { reason, drained, durationMs: Date.now() - started });
}
