import type { AbstractNewable } from 'inversify';
import type { BancaDatabase, PostgresRepositories } from '@banca/adapters-postgres';
import type { ReadinessChecks } from '@banca/http-koa';
import type { ActiveOperations, AllowanceTransport, Clock, JobLock, Logger } from '@banca/domain/ports';
import type Redis from 'ioredis';
import type { BancaConfig } from '../config/env.config';
import type { JobPorts, JobSettings } from '../jobs/job-ports';
import type { JobScheduler } from '../jobs/job-scheduler';
import type { JobRunner } from '../jobs/run-job';
import type { AllowanceWorker } from '../runtime/allowance-worker';
import type { HttpServer } from '../runtime/http-server';
import type { AuthSecret } from './auth-secret';
import type { Closers } from './closers';
import type { BancaMetrics } from './metrics';
import type { ProcessKind } from './process-kind';

/**
 * A service identifier that carries its service's type, so `container.get(ServiceIds.Clock)` is a
 * Clock without a type argument. Bindings are keyed by the identifier's identity.
 */
export type ServiceId<T> = AbstractNewable<T>;

function serviceId<T>(name: string): ServiceId<T> {
  const id = { [name]: class {} }[name]!;
  return id as unknown as ServiceId<T>;
}

/** Which backends a process runs on, as the start-up log says. */
export interface BackendChoice {
  database: 'postgresql' | 'pglite';
  queue: 'rabbitmq' | 'in-process';
  lock: 'redis' | 'postgresql-advisory' | 'in-process';
}

/** Every service of the composition roots. */
export const ServiceIds = {
  ProcessKind: serviceId<ProcessKind>('ProcessKind'),
  Config: serviceId<BancaConfig>('Config'),
  Logger: serviceId<Logger>('Logger'),
  Closers: serviceId<Closers>('Closers'),
  Clock: serviceId<Clock>('Clock'),
  Database: serviceId<BancaDatabase>('Database'),
  Repositories: serviceId<PostgresRepositories>('Repositories'),
  Redis: serviceId<Redis | null>('Redis'),
  JobLock: serviceId<JobLock>('JobLock'),
  Transport: serviceId<AllowanceTransport>('Transport'),
  ActiveOperations: serviceId<ActiveOperations>('ActiveOperations'),
  Backends: serviceId<BackendChoice>('Backends'),
  Readiness: serviceId<ReadinessChecks>('Readiness'),
  Metrics: serviceId<BancaMetrics>('Metrics'),
  JobPorts: serviceId<JobPorts>('JobPorts'),
  JobSettings: serviceId<JobSettings>('JobSettings'),
  JobRunner: serviceId<JobRunner>('JobRunner'),
  JobScheduler: serviceId<JobScheduler>('JobScheduler'),
  AllowanceWorker: serviceId<AllowanceWorker>('AllowanceWorker'),
  AuthSecret: serviceId<AuthSecret>('AuthSecret'),
  HttpServer: serviceId<HttpServer>('HttpServer'),
} as const;
