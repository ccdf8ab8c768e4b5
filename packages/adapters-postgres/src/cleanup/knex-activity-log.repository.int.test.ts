import { expect } from 'chai';
import { activityLogContract, type ActivityLogContractHarness } from '@banca/domain/testing';
import { createMigratedPglite, createMigratedSchema, type MigratedDatabase } from '../postgres.test-helpers';
import { KnexActivityLogRepository } from './knex-activity-log.repository';

function harnessOn(open: () => Promise<MigratedDatabase>) {
  return async (): Promise<ActivityLogContractHarness> => {
    const db = await open();
    return {
      activityLogRepository: new KnexActivityLogRepository(db.knex),
      async givenActivityLog({ createdAt }) {
        const [row] = await db
          .knex('activity_logs')
          .insert({ created_at: createdAt, actor_id: 'admin-1', action: 'SORTEO_UPDATED', target_type: 'sorteo', target_id: 's-1', details: { via: 'contract' } })
          .returning('id');
        return String(row.id);
      },
      async activityLogCount() {
        const [{ count }] = await db.knex('activity_logs').count({ count: '*' });
        return Number(count);
      },
      close: () => db.close(),
    };
  };
}

activityLogContract('KnexActivityLogRepository on real PostgreSQL', harnessOn(() => createMigratedSchema('activity_logs')));
activityLogContract('KnexActivityLogRepository on PGlite', harnessOn(createMigratedPglite));

describe('KnexActivityLogRepository limits', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await createMigratedPglite();
  });
  after(() => db.close());

  it('refuses a limit that is not a positive integer (an unbounded delete is never meant)', async () => {
    const repository = new KnexActivityLogRepository(db.knex);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      let failure: unknown;
      await repository.deleteOlderThan(new Date(), limit).catch((error: unknown) => (failure = error));
      expect(failure, String(limit)).to.be.instanceOf(RangeError);
    }
  });
});
