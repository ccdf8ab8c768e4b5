import { PGlite, types } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { keepQueryTextOutOfErrors } from './query-text-free-errors';

/**
 * The embedded default of docs/architecture.md (Configuration): PostgreSQL compiled to WebAssembly, data kept in `dataDir`
 * (in memory when omitted), with the same exact parsers as the pg driver: `date` as 'YYYY-MM-DD',
 * `numeric` and `bigint` as strings; its errors carry PostgreSQL's message without the statement.
 */
export function createPgliteKnex(dataDir?: string): Knex {
  const identity = (value: string) => value;
  // One options object: PGlite ignores the options argument when the data folder argument is absent.
  const pglite = new PGlite({
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [types.DATE]: identity, [types.NUMERIC]: identity, [types.INT8]: identity },
  });
  return keepQueryTextOutOfErrors(
    knex({
      client: ClientPgLite,
      dialect: 'postgres',
      connection: () => ({ pglite }) as object,
      compileSqlOnError: false,
    } as Knex.Config),
  );
}
