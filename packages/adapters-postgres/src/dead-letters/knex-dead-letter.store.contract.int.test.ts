import { expect } from 'chai';
import { deadLetterStoreContract, runDeadLetter } from '@banca/domain/testing';
import { createMigratedSchema, useReusedPglite } from '../testing/migrated-database';
import { KnexDeadLetterStore } from './knex-dead-letter.store';

deadLetterStoreContract('PostgreSQL', async () => {
  const database = await createMigratedSchema('dead_letters');
  return { store: new KnexDeadLetterStore(database.knex), close: () => database.close() };
});

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  deadLetterStoreContract('PGlite', async () => ({ store: new KnexDeadLetterStore((await pglite.fresh()).knex), close: async () => undefined }));
});

describe('KnexDeadLetterStore on real PostgreSQL', () => {
  it('records the same dead letter from two pools at once as one open row', async () => {
    const database = await createMigratedSchema('dead_letters_race');
    try {
      const stores = [database.knex, database.connectAgain(), database.connectAgain()].map((knex) => new KnexDeadLetterStore(knex));
      const letters = Array.from({ length: 20 }, (_, i) => runDeadLetter(i));
      const outcomes = await Promise.all(stores.flatMap((store) => letters.map((letter) => store.record(letter))));
      expect(outcomes.filter(Boolean)).to.have.length(20);
      expect(await stores[0]!.countOpen()).to.equal(20);
    } finally {
      await database.close();
    }
  });

  it('refuses a row whose columns contradict its status', async () => {
    const database = await createMigratedSchema('dead_letters_checks');
    try {
      const store = new KnexDeadLetterStore(database.knex);
      await store.record(runDeadLetter(1));
      const error = await database.knex.raw("UPDATE allowance_dead_letters SET status = 'replayed'").then(() => null, (e: unknown) => e);
      expect(String(error)).to.match(/check constraint/);
    } finally {
      await database.close();
    }
  });
});
