import type { Knex } from 'knex';
import * as bancaHierarchy from './001-banca-hierarchy';
import * as loteriasSorteos from './002-loterias-sorteos';
import * as ticketsMovements from './003-tickets-movements';
import * as statementsSettlement from './004-statements-settlement';
import * as closingLogsRuns from './005-closing-logs-runs';
import * as allowance from './006-allowance';
import * as allowanceFailedRun from './007-allowance-failed-run';
import * as ticketsVendedorMonthIndex from './008-tickets-vendedor-month-index';
import * as settlementChain from './009-settlement-chain';
import * as allowanceLeaseCoverage from './010-allowance-lease-coverage';
import * as cronRunHistory from './011-cron-run-history';
import * as allowanceDeadLetters from './012-allowance-dead-letters';
import * as readApiIndexes from './013-read-api-indexes';
import * as deadLetterTraceContext from './014-dead-letter-trace-context';
import * as settledStatementsIndex from './015-settled-statements-index';
import * as allowanceCreditFunction from './016-allowance-credit-function';
import * as allowanceCreditTerms from './017-allowance-credit-terms';
import * as unsettledActivityIndex from './018-unsettled-activity-index';

const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['001-banca-hierarchy', bancaHierarchy],
  ['002-loterias-sorteos', loteriasSorteos],
  ['003-tickets-movements', ticketsMovements],
  ['004-statements-settlement', statementsSettlement],
  ['005-closing-logs-runs', closingLogsRuns],
  ['006-allowance', allowance],
  ['007-allowance-failed-run', allowanceFailedRun],
  ['008-tickets-vendedor-month-index', ticketsVendedorMonthIndex],
  ['009-settlement-chain', settlementChain],
  ['010-allowance-lease-coverage', allowanceLeaseCoverage],
  ['011-cron-run-history', cronRunHistory],
  ['012-allowance-dead-letters', allowanceDeadLetters],
  ['013-read-api-indexes', readApiIndexes],
  ['014-dead-letter-trace-context', deadLetterTraceContext],
  ['015-settled-statements-index', settledStatementsIndex],
  ['016-allowance-credit-function', allowanceCreditFunction],
  ['017-allowance-credit-terms', allowanceCreditTerms],
  ['018-unsettled-activity-index', unsettledActivityIndex],
];

/**
 * The schema as code, bundled with the package: the same list runs on PostgreSQL and on PGlite,
 * from source in tests and from dist in production, with no migration directory to find at run time.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([candidate]) => candidate === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};

export const MIGRATION_TABLE = 'knex_migrations';

/** Applies every pending migration; returns the names applied in this call. */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource, tableName: MIGRATION_TABLE })) as [number, string[]];
  return applied;
}
