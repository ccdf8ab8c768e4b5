import type { Knex } from 'knex';

/**
 * knex puts the failed statement in front of its error's message (`select … - relation "x" does not
 * exist`), with its bound values unless `compileSqlOnError` is false. That message travels on to API
 * answers, logs and `cron_runs`, which must carry neither statements nor values: this takes the
 * statement off again, leaving the database's own message. The knex must be made with
 * `compileSqlOnError: false`, so the prefix is the statement text without values.
 */
export function keepQueryTextOutOfErrors(knex: Knex): Knex {
  knex.on('query-error', (error: unknown, query: { sql?: unknown }) => {
    if (!(error instanceof Error) || typeof query?.sql !== 'string') return;
    const prefix = `${query.sql} - `;
    if (error.message.startsWith(prefix)) error.message = error.message.slice(prefix.length);
  });
  return knex;
}
