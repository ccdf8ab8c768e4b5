export { installPgTypeParsers } from './pg-types';
export { createPostgresKnex } from './knex-connection';
export type { PostgresConnectionOptions } from './knex-connection';
export { createPgliteKnex } from './pglite-connection';
export { migrateToLatest, migrationSource, MIGRATION_TABLE } from './migrations';
export { openDatabase } from './database/open-database';
export type { BancaDatabase, OpenDatabaseOptions } from './database/open-database';
export { createPostgresRepositories } from './postgres-repositories';
export type { PostgresRepositories } from './postgres-repositories';

export { KnexLoteriaRepository } from './sorteos/knex-loteria.repository';
export { KnexSorteoRepository } from './sorteos/knex-sorteo.repository';
export { KnexSettlementConfigRepository } from './settlement/knex-settlement-config.repository';
export { KnexStatementRepository } from './settlement/knex-statement.repository';
export { KnexMonthlyClosingRepository } from './closing/knex-monthly-closing.repository';
export { KnexActivityLogRepository } from './cleanup/knex-activity-log.repository';
export { KnexAllowanceScheduleRepository } from './allowance/knex-allowance-schedule.repository';
export { KnexAllowanceLedger } from './allowance/knex-allowance-ledger';
export { KnexReconciliationRepository } from './reconciliation/knex-reconciliation.repository';
export { KnexClosingReadRepository } from './closing/knex-closing-reads.repository';
export { KnexStatementChainReadRepository } from './settlement/knex-statement-chain-reads.repository';
export { KnexDeadLetterStore } from './dead-letters/knex-dead-letter.store';

export { KnexCronRunRepository } from './jobs/knex-cron-run.repository';
export { PgAdvisoryJobLock } from './jobs/pg-advisory-job-lock';
export { InProcessJobLock } from './jobs/in-process-job-lock';
export { createPostgresWarmup } from './jobs/postgres-warmup';
export type { PostgresWarmupOptions } from './jobs/postgres-warmup';
export { classifyPostgresError } from './jobs/classify-postgres-error';
export { advisoryLockKey } from './jobs/advisory-lock-key';

export { seedDemo } from './seed/seed-demo';
export type { SeedDemoResult } from './seed/seed-demo';
export { seedScale, seedActivityLogs } from './seed/seed-scale';
export type { SeedScaleOptions, SeedScaleResult, SeedProgress } from './seed/seed-scale';
