import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import type { Logger } from '@banca/domain/ports';
import type { BancaConfig } from '../config/env.config';
import { httpModule } from './http.module';
import { infrastructureModule } from './infrastructure.module';
import type { ProcessKind } from './process-kind';
import { schedulerModule } from './scheduler.module';
import { ServiceIds } from './service-ids';
import { workerModule } from './worker.module';

/** Each process kind is the list of the modules it runs. */
export const PROCESS_MODULES: Readonly<Record<ProcessKind, readonly ContainerModule[]>> = {
  'all-in-one': [infrastructureModule, schedulerModule, workerModule, httpModule],
  api: [infrastructureModule, httpModule],
  scheduler: [infrastructureModule, schedulerModule],
  worker: [infrastructureModule, workerModule],
  cli: [infrastructureModule],
};

/**
 * The composition root of one process: the only place adapters are built. Every service is a
 * singleton, built when first asked for; `closeProcessContainer` closes what was opened.
 */
export function createProcessContainer(kind: ProcessKind, config: BancaConfig, logger: Logger): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ServiceIds.ProcessKind).toConstantValue(kind);
  container.bind(ServiceIds.Config).toConstantValue(config);
  container.bind(ServiceIds.Logger).toConstantValue(logger);
  container.load(...PROCESS_MODULES[kind]);
  return container;
}

/** Closes every backend the container opened, in reverse order, then forgets its services; once. */
export async function closeProcessContainer(container: Container): Promise<void> {
  if (!container.isBound(ServiceIds.Closers)) return;
  await container.get(ServiceIds.Closers).closeAll();
  await container.unbindAll();
}
