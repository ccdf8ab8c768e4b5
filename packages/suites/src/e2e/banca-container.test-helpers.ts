import type { Container } from 'inversify';
import { memoryLogger, type AllowanceTransport, type Clock, type Logger } from '@banca/domain/ports';
import { closeProcessContainer, createProcessContainer, loadConfig, ServiceIds, type BancaConfig, type ProcessKind } from '@banca/scheduler';

/** Settings of a test process, as the environment would give them. */
export type ProcessEnv = Readonly<Record<string, string | undefined>>;

export interface TestProcess {
  readonly container: Container;
  readonly config: BancaConfig;
  close(): Promise<void>;
}

export interface TestProcessOptions {
  /** A clock of the test's, shared by its processes (a movable one). */
  clock?: Clock;
  /** The allowance transport this process uses instead of the one its configuration picks. */
  transport?: (config: BancaConfig, logger: Logger) => AllowanceTransport & { assertTopology?(): Promise<void> };
  /** Where its log lines go; a memory logger of its own by default. */
  logger?: Logger;
}

/**
 * One process of the service as its composition root builds it (the same modules, configured from an
 * environment), on the test's own services. Only the clock and the transport may be swapped: a test
 * moves time and watches deliveries; everything else is what production runs.
 */
export function openTestProcess(kind: ProcessKind, env: ProcessEnv, options: TestProcessOptions = {}): TestProcess {
  const config = loadConfig(env);
  const logger = options.logger ?? memoryLogger('e2e');
  const container = createProcessContainer(kind, config, logger);
  if (options.clock) container.rebind(ServiceIds.Clock).toConstantValue(options.clock);
  const makeTransport = options.transport;
  if (makeTransport) {
    container.rebind(ServiceIds.Transport).toDynamicValue(async (context) => {
      const transport = makeTransport(config, logger);
      context.get(ServiceIds.Closers).add('transport', () => transport.close());
      await transport.assertTopology?.();
      return transport;
    });
  }
  return { container, config, close: () => closeProcessContainer(container) };
}
