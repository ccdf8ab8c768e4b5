import type { Knex } from 'knex';
import { KnexAllowanceLedger } from './allowance/knex-allowance-ledger';
import { KnexAllowanceScheduleRepository } from './allowance/knex-allowance-schedule.repository';
import { KnexActivityLogRepository } from './cleanup/knex-activity-log.repository';
import { KnexClosingReadRepository } from './closing/knex-closing-reads.repository';
import { KnexMonthlyClosingRepository } from './closing/knex-monthly-closing.repository';
import { classifyPostgresError } from './jobs/classify-postgres-error';
import { KnexDeadLetterStore } from './dead-letters/knex-dead-letter.store';
import { KnexCronRunRepository } from './jobs/knex-cron-run.repository';
import { createPostgresWarmup } from './jobs/postgres-warmup';
import { KnexReconciliationRepository } from './reconciliation/knex-reconciliation.repository';
import { KnexSettlementConfigRepository } from './settlement/knex-settlement-config.repository';
import { KnexStatementChainReadRepository } from './settlement/knex-statement-chain-reads.repository';
import { KnexStatementRepository } from './settlement/knex-statement.repository';
import { KnexLoteriaRepository } from './sorteos/knex-loteria.repository';
import { KnexSorteoRepository } from './sorteos/knex-sorteo.repository';

/** Every port this adapter implements, over one pool (PostgreSQL or PGlite). A new repository is added here. */
export function createPostgresRepositories(knex: Knex) {
  return {
    warmup: createPostgresWarmup(knex),
    classifyError: classifyPostgresError,
    cronRuns: new KnexCronRunRepository(knex),
    loterias: new KnexLoteriaRepository(knex),
    sorteos: new KnexSorteoRepository(knex),
    settlementConfig: new KnexSettlementConfigRepository(knex),
    statements: new KnexStatementRepository(knex),
    closing: new KnexMonthlyClosingRepository(knex),
    reconciliation: new KnexReconciliationRepository(knex),
    activityLogs: new KnexActivityLogRepository(knex),
    allowanceSchedules: new KnexAllowanceScheduleRepository(knex),
    allowanceLedger: new KnexAllowanceLedger(knex),
    closingReads: new KnexClosingReadRepository(knex),
    statementChain: new KnexStatementChainReadRepository(knex),
    deadLetters: new KnexDeadLetterStore(knex),
  };
}

export type PostgresRepositories = ReturnType<typeof createPostgresRepositories>;
