import type { Knex } from 'knex';
import { createMigratedSchema, type MigratedDatabase } from '@banca/adapters-postgres/testing';
import { signToken } from '@banca/http-koa';
import { ServiceIds } from '@banca/scheduler';
import { openTestProcess, type TestProcess } from '../banca-container.test-helpers';

export const ADMIN_API_SECRET = 'e2e-admin-api-secret-of-at-least-32-characters';
export const ADMIN_USER = 'ops-ana';

export interface AdminAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export interface AdminApiWorld {
  knex: Knex;
  process: TestProcess;
  adminToken: string;
  guardianToken: string;
  /** A request as the admin unless it names its own token, or `anonymous`. */
  call(method: string, path: string, options?: { token?: string; anonymous?: boolean; body?: unknown; headers?: Record<string, string> }): Promise<AdminAnswer>;
  close(): Promise<void>;
}

/**
 * The api process as production composes it, on its own PostgreSQL schema, listening on a free port:
 * what the admin API answers here is what an operator's client gets.
 */
export async function openAdminApiWorld(label: string, env: Readonly<Record<string, string>> = {}): Promise<AdminApiWorld> {
  const database: MigratedDatabase = await createMigratedSchema(`admin_${label}`);
  const process = openTestProcess('api', { DATABASE_URL: database.url!, AUTH_JWT_SECRET: ADMIN_API_SECRET, PORT: '0', DB_POOL_MAX: '4', ...env });
  const server = await process.container.getAsync(ServiceIds.HttpServer);
  const base = `http://127.0.0.1:${await server.start()}`;
  const adminToken = signToken({ sub: ADMIN_USER, role: 'admin' }, ADMIN_API_SECRET, 600);
  return {
    knex: database.knex,
    process,
    adminToken,
    guardianToken: signToken({ sub: '5b0c3f7e-2a7d-4f57-9a43-1f1f0f4b7c11', role: 'guardian' }, ADMIN_API_SECRET, 600),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.anonymous ? undefined : (options.token ?? adminToken);
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
      const text = await response.text();
      const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
      return { status: response.status, headers: response.headers, text, body: json ? (JSON.parse(text) as unknown) : null };
    },
    async close() {
      await server.stop(1000).catch(() => undefined);
      await process.close();
      await database.close();
    },
  };
}

/** Opens a world per test and closes it after. */
export function useAdminApiWorlds(): { open(label: string, env?: Readonly<Record<string, string>>): Promise<AdminApiWorld> } {
  const opened: AdminApiWorld[] = [];
  afterEach(async function () {
    this.timeout(60_000);
    for (const world of opened.splice(0)) await world.close();
  });
  return {
    async open(label, env) {
      const world = await openAdminApiWorld(label, env);
      opened.push(world);
      return world;
    },
  };
}

export const errorCodeOf = (answer: AdminAnswer): string | undefined => (answer.body as { error?: { code?: string } } | null)?.error?.code;
export const errorFieldOf = (answer: AdminAnswer): unknown => (answer.body as { error?: { details?: { field?: unknown } } } | null)?.error?.details?.field;
