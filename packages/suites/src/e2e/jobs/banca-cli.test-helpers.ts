import { execFile } from 'node:child_process';
import { BANCA_BIN } from '../process/banca-process.test-helpers';



export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `banca` command as a child process on a test database: the advisory lock and the in-process
 * queue (no REDIS_URL or RABBITMQ_URL from the caller's shell), from the TypeScript source.
 */
export function bancaCli(databaseUrl: string, dataDir: string): (args: string[]) => Promise<CliOutcome> {
  return (args) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, BANCA_FROM_SOURCE: '1', BANCA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    for (const name of ['REDIS_URL', 'RABBITMQ_URL', 'AUTH_JWT_SECRET']) delete env[name];
    return new Promise((done) => {
      execFile(process.execPath, [BANCA_BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      });
    });
  };
}

/** The pretty-printed JSON the command prints last (log lines, if any, come before it). */
export function printed(stdout: string): Record<string, unknown> {
  const start = stdout.search(/^\{$/m);
  if (start < 0) throw new Error(`no JSON document in:\n${stdout}`);
  return JSON.parse(stdout.slice(start)) as Record<string, unknown>;
}
