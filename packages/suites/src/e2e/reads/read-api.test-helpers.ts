import { expect } from 'chai';
import type { Knex } from 'knex';
import { createPostgresRepositories, type BancaDatabase } from '@banca/adapters-postgres';
import { createMigratedSchema, type MigratedDatabase } from '@banca/adapters-postgres/testing';
import { memoryLogger, type LogEntry, type Logger } from '@banca/domain/ports';
import { signToken } from '@banca/http-koa';
import { ServiceIds } from '@banca/scheduler';
import { openTestProcess, type TestProcess } from '../banca-container.test-helpers';

const SECRET = 'e2e-read-api-secret-of-at-least-32-characters';

export interface ReadAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON, when the answer is JSON. */
  body: unknown;
}

/**
 * The `api` process as the composition root builds it, on a migrated PostgreSQL schema of the test's
 * own, serving on 127.0.0.1: the read API over real SQL, as operators and guardians call it.
 */
export interface ReadApi {
  readonly knex: Knex;
  readonly base: string;
  readonly logger: Logger & { entries: LogEntry[] };
  /** The api process's own pool, to see what it holds. */
  readonly database: BancaDatabase;
  readonly repositories: ReturnType<typeof createPostgresRepositories>;
  readonly admin: string;
  guardian(guardianId: string): string;
  get(path: string, options?: { token?: string | null; accept?: string }): Promise<ReadAnswer>;
  close(): Promise<void>;
}

export async function startReadApi(label: string): Promise<ReadApi> {
  const database: MigratedDatabase = await createMigratedSchema(`e2e_reads_${label}`);
  let api: TestProcess | undefined;
  try {
    const logger = memoryLogger('e2e');
    api = openTestProcess('api', { DATABASE_URL: database.url!, AUTH_JWT_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'error', DB_POOL_MAX: '4' }, { logger });
    const server = await api.container.getAsync(ServiceIds.HttpServer);
    const port = await server.start();
    const base = `http://127.0.0.1:${port}`;
    const admin = signToken({ sub: 'ops', role: 'admin' }, SECRET, 600);
    const processDatabase = await api.container.getAsync(ServiceIds.Database);
    const opened = api;
    return {
      knex: database.knex,
      base,
      logger,
      database: processDatabase,
      repositories: createPostgresRepositories(database.knex),
      admin,
      guardian: (guardianId) => signToken({ sub: guardianId, role: 'guardian' }, SECRET, 600),
      async get(path, options = {}) {
        const token = options.token === undefined ? admin : options.token;
        const headers: Record<string, string> = {};
        if (token !== null) headers['authorization'] = `Bearer ${token}`;
        if (options.accept !== undefined) headers['accept'] = options.accept;
        const response = await fetch(`${base}${path}`, { headers });
        const text = await response.text();
        const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
        return { status: response.status, headers: response.headers, text, body: json && text !== '' ? (JSON.parse(text) as unknown) : undefined };
      },
      async close() {
        await server.stop(1000);
        await opened.close();
        await database.close();
      },
    };
  } catch (error) {
    // The first failure is the one to report; closing what opened is best effort after it.
    await api?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** The `{ error: { code, details } }` of an answer. */
export const errorOf = (answer: ReadAnswer) => (answer.body as { error: { code: string; details?: Record<string, unknown> } }).error;

/** An id of the tests' own, so rows order alike in every run. */
export const uuid = (n: number, prefix = '00000000'): string => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Refusals every read route must give the same way: each query answers 400 with its code and names the
 * field; nothing is read.
 */
export async function expectRefusals(api: ReadApi, cases: ReadonlyArray<readonly [string, string, string]>): Promise<void> {
  for (const [path, code, field] of cases) {
    const answer = await api.get(path);
    expect(answer.status, `${path}: ${answer.text}`).to.equal(400);
    expect(errorOf(answer).code, path).to.equal(code);
    expect(errorOf(answer).details?.['field'], path).to.equal(field);
  }
}
