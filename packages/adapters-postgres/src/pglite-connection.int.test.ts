import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteKnex } from './pglite-connection';
import { migrateToLatest, migrationSource } from './migrations';
import { failedStatementMessages } from './testing/migrated-database';

describe('PGlite, the embedded default', () => {
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'banca-pglite-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the same migrations and reads dates and money exactly', async () => {
    const db = createPgliteKnex(dataDir);
    try {
      expect(await migrateToLatest(db)).to.deep.equal(await migrationSource.getMigrations([]));
      const { rows } = await db.raw(`select '2025-01-31'::date as day, 12.30::numeric(14,2) as amount, 9007199254740993::bigint as big`);
      expect(rows[0]).to.deep.equal({ day: '2025-01-31', amount: '12.30', big: '9007199254740993' });
    } finally {
      await db.destroy();
    }
  });

  it('fails a statement with PostgreSQL\'s message alone, never the statement or its values', async () => {
    const db = createPgliteKnex();
    try {
      expect(await failedStatementMessages(db)).to.deep.equal([
        'relation "no_such_table" does not exist',
        'date/time field value out of range: "0000-01-01"',
        'division by zero',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('reads dates and money exactly in memory too', async () => {
    const db = createPgliteKnex();
    try {
      const { rows } = await db.raw(`select '2025-01-31'::date as day, 12.30::numeric(14,2) as amount`);
      expect(rows[0]).to.deep.equal({ day: '2025-01-31', amount: '12.30' });
    } finally {
      await db.destroy();
    }
  });

  it('keeps its data in the folder across restarts', async () => {
    const first = createPgliteKnex(dataDir);
    await first('bancas').insert({ name: 'Banca Central' });
    await first.destroy();
    const second = createPgliteKnex(dataDir);
    try {
      expect(await migrateToLatest(second)).to.deep.equal([]);
      const rows = await second('bancas').select('name');
      expect(rows).to.deep.equal([{ name: 'Banca Central' }]);
    } finally {
      await second.destroy();
    }
  });
});
