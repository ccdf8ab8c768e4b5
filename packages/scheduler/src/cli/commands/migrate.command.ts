import { ServiceIds } from '../../composition/service-ids';
import { EXIT, UsageError } from '../cli-errors';
import { withCliContainer } from './process-env';

/** `banca migrate`: every process applies pending migrations at start; this does only that. */
export async function migrateCommand(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError('migrate takes no arguments');
  return withCliContainer(async ({ container, logger }) => {
    logger.info('DATABASE_UP_TO_DATE', { database: (await container.getAsync(ServiceIds.Database)).kind });
    return EXIT.ok;
  });
}
