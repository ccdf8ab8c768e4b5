import { expect } from 'chai';
import type { DrawOccurrence } from '@banca/domain';
import { createMigratedSchema, type MigratedDatabase } from '../testing/migrated-database';
import { KnexSorteoRepository } from './knex-sorteo.repository';
import { knexSorteosHarness } from './sorteos.test-helpers';

const MINUTE = 60_000;

/** What the contract's small batches do not reach: many occurrences at once, and two creators racing. */
describe('KnexSorteoRepository.createMany on real PostgreSQL', () => {
  let database: MigratedDatabase;

  beforeEach(async () => {
    database = await createMigratedSchema('sorteos_bulk');
  });
  afterEach(() => database.close());

  const occurrences = async (count: number): Promise<DrawOccurrence[]> => {
    const loteriaId = await knexSorteosHarness(database.knex, async () => undefined).givenLoteria({ name: 'Tiempos' });
    const start = Date.parse('2025-03-10T06:00:00Z');
    return Array.from({ length: count }, (_, i) => ({ loteriaId, name: `Tiempos ${i}`, scheduledAt: new Date(start + i * MINUTE) }));
  };

  it('creates a batch far larger than one statement carries, and skips all of it on a re-run', async () => {
    const batch = await occurrences(12_345);
    const sorteos = new KnexSorteoRepository(database.knex);
    expect(await sorteos.createMany(batch)).to.deep.equal({ createdCount: 12_345, skippedCount: 0 });
    expect(await sorteos.createMany(batch)).to.deep.equal({ createdCount: 0, skippedCount: 12_345 });
    const { rows } = await database.knex.raw(`SELECT count(*) AS n FROM sorteos WHERE status = 'SCHEDULED'`);
    expect(rows[0].n).to.equal('12345');
  });

  it('creates each sorteo once when two processes create the same week at once', async () => {
    const batch = await occurrences(500);
    const creators = [new KnexSorteoRepository(database.knex), new KnexSorteoRepository(database.connectAgain())];
    const results = await Promise.all([...creators, ...creators].map((sorteos) => sorteos.createMany(batch)));
    expect(results.reduce((sum, r) => sum + r.createdCount, 0)).to.equal(500);
    expect(results.every((r) => r.createdCount + r.skippedCount === 500)).to.equal(true);
    const { rows } = await database.knex.raw('SELECT count(*) AS n FROM sorteos');
    expect(rows[0].n).to.equal('500');
  });
});
