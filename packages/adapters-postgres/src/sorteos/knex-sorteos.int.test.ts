import { sorteoPortsContract } from '@banca/domain/testing';
import { useReusedPglite } from '../testing/migrated-database';
import { knexSorteosHarness, postgresSorteosHarness } from './sorteos.test-helpers';

sorteoPortsContract('KnexLoteriaRepository and KnexSorteoRepository on PostgreSQL', postgresSorteosHarness);

describe('on PGlite, the embedded default', () => {
  const pglite = useReusedPglite();
  sorteoPortsContract('KnexLoteriaRepository and KnexSorteoRepository on PGlite', async () =>
    knexSorteosHarness((await pglite.fresh()).knex, async () => undefined),
  );
});
