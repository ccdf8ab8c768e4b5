import type { Knex } from 'knex';
import { createPostgresKnex, migrateToLatest } from '@banca/adapters-postgres';

export const PG_ADMIN_URL = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DATABASE_PREFIX = process.env['BENCH_DATABASE'] ?? 'banca_bench';

export interface BenchDatabase {
  name: string;
  url: string;
  knex: Knex;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function urlOf(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = createPostgresKnex({ connectionString: PG_ADMIN_URL, pool: { max: 1 }, applicationName: 'banca-bench-admin' });
  try {
    return await work(knex);
  } finally {
    await knex.destroy();
  }
}

/** Drops and recreates `banca_bench_<figure>`, applies the migrations, and returns a pool on it. */
export async function freshDatabase(figure: string, poolMax = 10): Promise<BenchDatabase> {
  const name = `${DATABASE_PREFIX}_${figure}`.replace(/[^a-z0-9_]/g, '_');
  await admin(async (knex) => {
    await knex.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await knex.raw(`CREATE DATABASE ${name}`);
  });
  const url = urlOf(name);
  const knex = createPostgresKnex({ connectionString: url, pool: { max: poolMax }, applicationName: 'banca-bench' });
  await migrateToLatest(knex);
  return {
    name,
    url,
    knex,
    async drop() {
      await knex.destroy();
      if (process.env['BENCH_KEEP_DATABASES'] === '1') return;
      await admin((k) => k.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Sets hint bits and statistics on freshly loaded tables, so no measured run pays for the load. */
export async function settle(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) await knex.raw(`VACUUM (ANALYZE) ${table}`);
  await knex.raw('CHECKPOINT');
}

/** The processes serving one database, and the server's background processes (for CPU sampling). */
export async function postgresPidsOf(knex: Knex, database: string): Promise<number[]> {
  const { rows } = await knex.raw(`SELECT pid FROM pg_stat_activity WHERE datname = ? OR (datname IS NULL AND backend_type <> 'client backend')`, [database]);
  return rows.map((row: { pid: number }) => Number(row.pid));
}
