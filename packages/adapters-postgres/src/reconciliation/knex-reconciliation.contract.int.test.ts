import { expect } from 'chai';
import { reconcileMonth } from '@banca/domain/ports';
import { reconciliationContract } from '@banca/domain/testing';
import { createMigratedSchema, useReusedPglite } from '../testing/migrated-database';
import { knexReconciliationHarness } from './reconciliation.test-helpers';

reconciliationContract('PostgreSQL', async () => knexReconciliationHarness(await createMigratedSchema('reconcile')));

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  reconciliationContract('PGlite', async () => knexReconciliationHarness(await pglite.fresh()));
});

describe('KnexReconciliationRepository on real PostgreSQL', () => {
  it('names each entity of a discrepancy', async () => {
    const h = knexReconciliationHarness(await createMigratedSchema('reconcile_names'));
    try {
      const bancaId = await h.givenBanca();
      await h.givenClosingRow({ month: '2025-03', dimension: 'banca', entityId: bancaId, bancaId, openingBalance: '1.00' });
      const report = await reconcileMonth({ reconciliation: h.reconciliation }, { month: '2025-03' });
      expect(report.discrepancies.map((d) => d.entityName)).to.deep.equal(['Banca 1']);
    } finally {
      await h.close();
    }
  });
});
