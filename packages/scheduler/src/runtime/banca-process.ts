import type { Container } from 'inversify';
import type { Logger } from '@banca/domain';
import { ConfigError, type BancaConfig } from '../config/env.config';
import { assertAuthSecretConfigured } from '../composition/auth-secret';
import { createProcessContainer, type ProcessKind } from '../composition/container';
import type { Infrastructure } from '../composition/infrastructure';
import { TOKENS } from '../composition/tokens';
import type { JobScheduler } from '../jobs/job-scheduler';
import type { AllowanceWorker } from './allowance-worker';
import type { HttpServer } from './http-server';

export interface RunningProcess {
  kind: ProcessKind;
  /** The HTTP port actually bound (api and all-in-one), else null. */
  port: number | null;
  infrastructure: Infrastructure;
  /** Graceful shutdown (design §6); resolves once everything is closed. */
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
export async function startBancaProcess(kind: ProcessKind, config: BancaConfig, logger: Logger, seedOnFirstStart?: (infrastructure: Infrastructure) => Promise<void>): Promise<RunningProcess> {
  if (kind !== 'all-in-one') {
    const missing = [!config.databaseUrl && 'DATABASE_URL', kind !== 'api' && !config.rabbitmqUrl && 'RABBITMQ_URL'].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError([`the ${kind} process shares its state through real services: set ${missing.join(' and ')} (the embedded backends exist only in the all-in-one)`]);
    }
  }
  if (HAS_HTTP.includes(kind)) assertAuthSecretConfigured(config);
  const container = createProcessContainer(kind, config, logger);
  let infrastructure: Infrastructure;
  try {
    infrastructure = await container.getAsync<Infrastructure>(TOKENS.Infrastructure);
  } catch (error) {
    await container.unbindAllAsync().catch(() => undefined);
    throw error;
  }
  try {
    if (seedOnFirstStart) await seedOnFirstStart(infrastructure);
    const scheduler = HAS_SCHEDULER.includes(kind) ? await container.getAsync<JobScheduler>(TOKENS.JobScheduler) : null;
    const worker = HAS_WORKER.includes(kind) ? await container.getAsync<AllowanceWorker>(TOKENS.AllowanceWorker) : null;
    const http = HAS_HTTP.includes(kind) ? await container.getAsync<HttpServer>(TOKENS.HttpServer) : null;
    await worker?.start();
    await scheduler?.start();
    const port = http ? await http.start() : null;
    const auth = HAS_HTTP.includes(kind) ? await container.getAsync<{ source: string; file?: string }>(TOKENS.AuthSecret) : null;
    logger.info('BANCA_STARTED', {
      process: kind,
      backends: infrastructure.backends,
      port,
      ...(auth ? { authSecret: auth.source === 'environment' ? 'AUTH_JWT_SECRET' : `development secret in ${auth.file}` } : {}),
      ...(port ? { tryIt: `npx banca token --sub <guardian-id> --role guardian, then curl -H "Authorization: Bearer <token>" http://localhost:${port}/guardians/me/allowances` } : {}),
    });
    return { kind, port, infrastructure, stop: (reason) => shutdown(container, infrastructure, config, logger, reason, { scheduler, worker, http }) };
  } catch (error) {
    await container.unbindAllAsync().catch(() => undefined);
    throw error;
  }
}

/**
 * Design §6: stop scheduling, stop consuming, stop accepting requests, wait for active operations
 * up to the timeout, then close the broker, Redis and the pool. A run still going at the timeout is
 * cut off: its running statement is cancelled and PostgreSQL rolls it back, so a batch is whole or absent.
 */
async function shutdown(
  container: Container,
  infrastructure: Infrastructure,
  config: BancaConfig,
  logger: Logger,
  reason: string,
  parts: { scheduler: JobScheduler | null; worker: AllowanceWorker | null; http: HttpServer | null },
): Promise<void> {
  const started = Date.now();
  logger.info('SHUTDOWN_STARTED', { reason, active: infrastructure.activeOperations.active(), timeoutMs: config.shutdownTimeoutMs });
  parts.scheduler?.stop();
  await Promise.all([parts.worker?.stop(), parts.http?.stop(config.shutdownTimeoutMs)]);
  const remainingMs = Math.max(0, config.shutdownTimeoutMs - (Date.now() - started));
  const drained = await infrastructure.activeOperations.drain(remainingMs);
  if (!drained) {
    logger.warn('SHUTDOWN_TIMEOUT', { cutOff: infrastructure.activeOperations.active() });
    // Cancelled while the backends are still open, the runs record their failure and release their locks.
    await infrastructure.cutOff?.();
    await infrastructure.activeOperations.drain(CUT_OFF_GRACE_MS);
  }
  await container.unbindAllAsync();
  logger.info('SHUTDOWN_COMPLETE', { reason, drained, durationMs: Date.now() - started });
}
