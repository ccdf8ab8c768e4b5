import { sorteoPortsContract } from '@banca/domain/testing';
import { useSharedPglite } from './shared-pglite.test-helpers';
import { knexSorteosHarness, postgresSorteosHarness, SORTEOS_TABLES } from './sorteos.test-helpers';

sorteoPortsContract('KnexLoteriaRepository and KnexSorteoRepository on PostgreSQL', postgresSorteosHarness);

describe('on PGlite, the embedded default', () => {
  const emptyPglite = useSharedPglite(SORTEOS_TABLES);
  sorteoPortsContract('KnexLoteriaRepository and KnexSorteoRepository on PGlite', async () =>
    knexSorteosHarness(await emptyPglite(), async () => undefined),
  );
});
