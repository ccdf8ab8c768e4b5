import type { Logger } from '@banca/domain/ports';
import { loadConfig, type BancaConfig } from '../../config/env.config';
import { createStdoutLogger } from '../../logging/stdout-logger';
import type { Container } from 'inversify';
import { closeProcessContainer, createProcessContainer } from '../../composition/process-container';

/** The configuration and logger of this process, validated before anything connects. */
export function processSetup(): { config: BancaConfig; logger: Logger } {
  const config = loadConfig(process.env);
  return { config, logger: createStdoutLogger({ level: config.log.level, pretty: config.log.pretty }) };
}

/** Runs a one-off command on the process's composition root, closing every backend afterwards. */
export async function withCliContainer<T>(use: (parts: { config: BancaConfig; logger: Logger; container: Container }) => Promise<T>): Promise<T> {
  const { config, logger } = processSetup();
  const container = createProcessContainer('cli', config, logger);
  try {
    return await use({ config, logger, container });
  } finally {
    await closeProcessContainer(container);
  }
}
