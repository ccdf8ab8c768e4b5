import { createPostgresKnex } from './knex-connection';
import { migrateToLatest } from './migrations';
import { classifyPostgresError } from './jobs/classify-postgres-error';

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `npm run migrate`: applies the pending migrations to DATABASE_URL and says which. Returns the exit
 * code: 0 done, 1 the database failed, 2 the configuration is missing or wrong (nothing was tried).
 */
export async function runMigrateCommand(env: NodeJS.ProcessEnv, out: Output = console): Promise<number> {
  const url = env['DATABASE_URL'];
  if (!url) {
    out.error('migrate: DATABASE_URL is not set; set it to postgres://user:password@host:5432/database');
    return 2;
  }
  if (!/^postgres(ql)?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    out.error(`migrate: DATABASE_URL must be a postgres:// or postgresql:// URL, got "${redacted(url)}"`);
    return 2;
  }
  const knex = createPostgresKnex({ connectionString: url, pool: { max: 1 }, applicationName: 'banca-jobs-migrate' });
  try {
    const applied = await migrateToLatest(knex);
    if (applied.length === 0) out.log(`migrate: ${redacted(url)} is up to date`);
    for (const name of applied) out.log(`migrate: applied ${name}`);
    return 0;
  } catch (error) {
    const { errorType, errorCode, message } = classifyPostgresError(error);
    out.error(`migrate: failed on ${redacted(url)}: ${errorType}${errorCode ? ` ${errorCode}` : ''}: ${message}`);
    return 1;
  } finally {
    await knex.destroy();
  }
}

/** The URL without its password, fit for a log line. */
function redacted(url: string): string {
  if (!URL.canParse(url)) return url.replace(/:[^:@/]*@/, ':***@');
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

if (require.main === module) {
  void runMigrateCommand(process.env).then((code) => {
    process.exitCode = code;
  });
}
