export { installPgTypeParsers } from './pg-types';
export { createPostgresKnex } from './knex-connection';
export type { PostgresConnectionOptions } from './knex-connection';
