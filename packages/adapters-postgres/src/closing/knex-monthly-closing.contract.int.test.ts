import { monthlyClosingContract } from '@banca/domain/testing';
import { createMigratedSchema } from '../testing/migrated-database';
import { useReusedPglite } from '../testing/migrated-database';
import { knexMonthlyClosingHarness } from './monthly-closing.test-helpers';

monthlyClosingContract('PostgreSQL', async () => knexMonthlyClosingHarness(await createMigratedSchema('closing')));

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  monthlyClosingContract('PGlite', async () => knexMonthlyClosingHarness(await pglite.fresh()));
});
