import type { Knex } from 'knex';

/**
 * Runs a migration's SQL one statement at a time: PGlite (the embedded default) accepts a single
 * statement per query. Statements end with `;` before whitespace or the end; comments are dropped first,
 * and no statement of ours has one inside.
 */
export async function runSql(knex: Knex, sql: string): Promise<void> {
  const statements = sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;(?=\s|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
  for (const statement of statements) await knex.raw(statement);
}
