import { expect } from 'chai';
import { DomainError } from '@banca/domain';
import { CONTRACT_ANCHOR, creditRequest, givenSchedule } from '@banca/domain/testing';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { knexAllowanceHarness } from './allowance.test-helpers';

/** What the contract leaves to storage: ids from URLs and messages, foreign keys, soft deletes. */
describe('KnexAllowanceScheduleRepository on real PostgreSQL', () => {
  let database: MigratedDatabase;
  const harness = () => knexAllowanceHarness(database.knex, async () => undefined);

  beforeEach(async () => {
    database = await createMigratedSchema('allowance_repo');
  });
  afterEach(() => database.close());

  it('treats ids that are not uuids as missing instead of failing', async () => {
    const { guardianId, schedule } = await givenSchedule(harness());
    const h = harness();
    expect(await h.schedules.findForGuardian(guardianId, 'not-a-uuid')).to.equal(null);
    expect(await h.schedules.findForGuardian('grd-1', schedule.id)).to.equal(null);
    expect(await h.schedules.findById('42')).to.equal(null);
    expect(await h.schedules.listForGuardian('me')).to.deep.equal([]);
    expect(await h.schedules.update(guardianId, 'x', { status: 'OFF', updatedAt: new Date() })).to.equal(null);
    expect(await h.schedules.delete(guardianId, 'x')).to.equal(false);
    await h.ledger.recordRunFailure({ scheduleId: 'x', runAt: CONTRACT_ANCHOR, reason: 'r', nextRunAt: CONTRACT_ANCHOR, failedAt: CONTRACT_ANCHOR });
  });

  it('refuses a schedule for another guardian\'s junior with JUNIOR.NOT_FOUND', async () => {
    const { schedule } = await givenSchedule(harness());
    const stranger = await harness().givenGuardian({ balance: '0.00' });
    for (const juniorId of [schedule.juniorId, 'jnr-1']) {
      const error = await harness()
        .schedules.create({ ...schedule, guardianId: stranger, juniorId })
        .then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal('JUNIOR.NOT_FOUND');
    }
  });

  it('creates in one statement, and refuses in at most one, writing nothing', async () => {
    const { guardianId, schedule } = await givenSchedule(harness());
    const stranger = await harness().givenGuardian({ balance: '0.00' });
    const junior = await harness().givenJunior({ guardianId });
    const sent: string[] = [];
    const onQuery = (query: { sql: string }) => sent.push(query.sql);
    database.knex.on('query', onQuery);
    try {
      const codes = [];
      for (const request of [
        { ...schedule, juniorId: junior },
        { ...schedule, guardianId: stranger, juniorId: junior },
        { ...schedule, juniorId: junior },
        { ...schedule, juniorId: 'jnr-1' },
      ]) {
        codes.push(await harness().schedules.create(request).then(() => 'created', (e: unknown) => (e as DomainError).code));
      }
      expect(codes).to.deep.equal(['created', 'JUNIOR.NOT_FOUND', 'ALLOWANCE.ALREADY_EXISTS', 'JUNIOR.NOT_FOUND']);
      expect(sent).to.have.length(3);
      for (const sql of sent) expect(sql.replace(/\s+/g, ' ')).to.match(/^INSERT INTO allowance_schedules \(.*\) SELECT .* FROM juniors WHERE id = \S+ AND guardian_id = \S+ RETURNING /);
    } finally {
      database.knex.off('query', onQuery);
    }
    const { rows } = await database.knex.raw('SELECT count(*)::int AS n FROM allowance_schedules');
    expect(rows[0].n).to.equal(2);
  });

  it('keeps a deleted schedule and its credits, and refuses to credit it afterwards', async () => {
    const { guardianId, juniorId, schedule } = await givenSchedule(harness());
    expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
    expect(await harness().schedules.delete(guardianId, schedule.id)).to.equal(true);
    expect(await harness().credits()).to.have.length(1);
    const { rows } = await database.knex.raw('SELECT deleted_at FROM allowance_schedules WHERE id = ?', [schedule.id]);
    expect(rows[0].deleted_at).to.be.instanceOf(Date);
    expect(await harness().ledger.creditRun(creditRequest(schedule, 1))).to.deep.equal({ outcome: 'not_live' });
    expect(await harness().credits()).to.have.length(1);
    expect([await harness().balanceOf(guardianId), await harness().balanceOf(juniorId)]).to.deep.equal(['90.00', '10.00']);
  });
});
