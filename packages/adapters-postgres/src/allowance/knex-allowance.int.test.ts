import { allowancePortsContract } from '@banca/domain/testing';
import { useReusedPglite } from '../testing/migrated-database';
import { knexAllowanceHarness, postgresAllowanceHarness } from './allowance.test-helpers';

allowancePortsContract('Knex allowance adapters on PostgreSQL', postgresAllowanceHarness);

describe('on PGlite, the embedded default', () => {
  const pglite = useReusedPglite();
  allowancePortsContract('Knex allowance adapters on PGlite', async () => knexAllowanceHarness((await pglite.fresh()).knex, async () => undefined));
});
