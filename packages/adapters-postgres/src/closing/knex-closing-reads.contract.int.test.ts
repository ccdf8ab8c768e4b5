import { closingReadsContract } from '@banca/domain/testing';
import { createMigratedSchema, useReusedPglite } from '../testing/migrated-database';
import { knexClosingReadsHarness } from './closing-reads.test-helpers';

closingReadsContract('PostgreSQL', async () => knexClosingReadsHarness(await createMigratedSchema('closing_reads')));

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  closingReadsContract('PGlite', async () => knexClosingReadsHarness(await pglite.fresh()));
});
