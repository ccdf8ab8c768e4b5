import { allowancePortsContract } from '@banca/domain/testing';
import { useSharedPglite } from '../sorteos/shared-pglite.test-helpers';
import { ALLOWANCE_TABLES, knexAllowanceHarness, postgresAllowanceHarness } from './allowance.test-helpers';

allowancePortsContract('Knex allowance adapters on PostgreSQL', postgresAllowanceHarness);

describe('on PGlite, the embedded default', () => {
  const emptyPglite = useSharedPglite(ALLOWANCE_TABLES);
  allowancePortsContract('Knex allowance adapters on PGlite', async () => knexAllowanceHarness(await emptyPglite(), async () => undefined));
});
