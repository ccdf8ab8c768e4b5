import { settlementPortsContract } from '@banca/domain/testing';
import { createMigratedSchema } from '../testing/migrated-database';
import { useReusedPglite } from '../testing/migrated-database';
import { knexSettlementHarness } from './settlement.test-helpers';

settlementPortsContract('PostgreSQL', async () => knexSettlementHarness(await createMigratedSchema('settlement')));

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  settlementPortsContract('PGlite', async () => knexSettlementHarness(await pglite.fresh()));
});
