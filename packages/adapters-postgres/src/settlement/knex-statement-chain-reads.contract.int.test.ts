import { statementChainReadsContract, type StatementChainContractHarness } from '@banca/domain/testing';
import { createMigratedSchema, type MigratedDatabase, useReusedPglite } from '../testing/migrated-database';
import { knexBancaFixtures } from './banca-fixtures.test-helpers';
import { KnexStatementChainReadRepository } from './knex-statement-chain-reads.repository';
import { insertStatement } from './settlement.test-helpers';

function knexStatementChainHarness(database: MigratedDatabase): StatementChainContractHarness {
  const db = database.knex;
  return {
    ...knexBancaFixtures(db),
    statementChain: new KnexStatementChainReadRepository(db),
    givenStatement: (input) => insertStatement(db, input),
    close: () => database.close(),
  };
}

statementChainReadsContract('PostgreSQL', async () => knexStatementChainHarness(await createMigratedSchema('statement_chain')));

describe('on the embedded default', () => {
  const pglite = useReusedPglite();
  statementChainReadsContract('PGlite', async () => knexStatementChainHarness(await pglite.fresh()));
});
