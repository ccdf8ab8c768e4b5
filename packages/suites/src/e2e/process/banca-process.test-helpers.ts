import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Knex } from 'knex';
import { createPostgresKnex } from '@banca/adapters-postgres';
import { serviceUrl, uniqueSuffix } from '@banca/test-support';

/** The repository root and the `banca` command as an operator runs it. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
export const BANCA_BIN = join(REPO_ROOT, 'packages', 'scheduler', 'bin', 'banca.js');

/** How long a child started through tsx may take to say it is up (several seconds on a small machine). */
export const START_TIMEOUT_MS = 90_000;

export interface LogLine {
  level: string;
  time: string;
  layer: string;
  action: string;
  payload?: Record<string, unknown>;
}

export type BancaEnv = Record<string, string | undefined>;

/** Which children the cleanup hooks stop: `test` ones after each test, `suite` ones after the describe. */
export type Lifetime = 'test' | 'suite';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const children = new Set<BancaChild>();
const tempDirs = new Set<string>();

/**
 * One `node packages/scheduler/bin/banca.js …` child, run from source, in its own process group
 * (the bin script forwards SIGTERM/SIGINT to the TypeScript process it starts; a kill of the group
 * reaches both). Its stdout and stderr are collected as they come.
 */
export class BancaChild {
  stdout = '';
  stderr = '';
  exit: Exit | null = null;
  readonly exited: Promise<Exit>;
  private readonly wakeups = new Set<() => void>();

  constructor(
    readonly args: readonly string[],
    readonly lifetime: Lifetime,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.wake();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.wake();
    });
    this.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.wake();
        resolveExit(this.exit);
      });
    });
  }

  /** Complete stdout lines so far. */
  get lines(): string[] {
    const lines = this.stdout.split('\n');
    lines.pop();
    return lines.filter((line) => line.trim() !== '');
  }

  /** The stdout lines that are JSON log entries, parsed; any other line is left out. */
  get logs(): LogLine[] {
    return this.lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null && 'action' in value ? [value as LogLine] : [];
      } catch {
        return [];
      }
    });
  }

  /** The stdout lines in the pretty format (`LOG_FORMAT=pretty`), parsed; any other line is left out. */
  get prettyLogs(): LogLine[] {
    return this.lines.flatMap((line) => {
      const entry = parsePrettyLine(line);
      return entry ? [entry] : [];
    });
  }

  actions(action: string): LogLine[] {
    return this.logs.filter((entry) => entry.action === action);
  }

  /** Sends a signal to the bin script, which passes it on to the process it runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.exit === null && this.child.pid !== undefined) process.kill(this.child.pid, signal);
  }

  /** Kills the whole process group at once and waits for the child to be gone. */
  async kill(): Promise<void> {
    if (this.exit === null && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }
    await this.exited;
  }

  /**
   * Resolves with the first non-undefined value of `probe`, re-checked whenever output arrives;
   * rejects when the child exits first or `timeoutMs` passes, showing what the child printed.
   */
  waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = START_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolveWait, rejectWait) => {
      const check = () => {
        const value = probe();
        if (value !== undefined) return finish(() => resolveWait(value));
        if (this.exit !== null) return finish(() => rejectWait(new Error(`banca ${this.args.join(' ')} exited (${JSON.stringify(this.exit)}) before ${what}\n${this.describe()}`)));
        return undefined;
      };
      const timer = setTimeout(() => finish(() => rejectWait(new Error(`timed out waiting for ${what}\n${this.describe()}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.wakeups.delete(check);
        settle();
      };
      this.wakeups.add(check);
      check();
    });
  }

  /** The first log entry of `action`, JSON or pretty, that `match` accepts. */
  waitForLog(action: string, match: (entry: LogLine) => boolean = () => true, timeoutMs = START_TIMEOUT_MS): Promise<LogLine> {
    const find = (entries: LogLine[]) => entries.find((entry) => entry.action === action && match(entry));
    return this.waitFor(() => find(this.logs) ?? find(this.prettyLogs), `the ${action} log line`, timeoutMs);
  }

  describe(): string {
    return `--- stdout (tail) ---\n${this.stdout.slice(-3000)}\n--- stderr (tail) ---\n${this.stderr.slice(-3000)}`;
  }

  private wake(): void {
    for (const check of [...this.wakeups]) check();
  }
}

const PRETTY_LINE = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z) (DEBUG|INFO|WARN|ERROR) +\[([^\]]+)\] ([A-Z0-9_]+)(?: (\{.*\}))?$/;

/** `2025-01-01T00:00:00.000Z INFO  [app] ACTION {"payload":1}` as a log entry, or null. */
export function parsePrettyLine(line: string): LogLine | null {
  const match = PRETTY_LINE.exec(line);
  if (!match) return null;
  const [, time, level, layer, action, payload] = match;
  return { time: time!, level: level!.toLowerCase(), layer: layer!, action: action!, ...(payload ? { payload: JSON.parse(payload) as Record<string, unknown> } : {}) };
}

/** Spawns `banca <args>` from source with exactly the given environment (plus PATH and HOME). */
export function spawnBanca(args: readonly string[], env: BancaEnv, options: { lifetime?: Lifetime; cwd?: string } = {}): BancaChild {
  const childEnv: Record<string, string> = { BANCA_FROM_SOURCE: '1' };
  for (const name of ['PATH', 'HOME']) {
    const value = process.env[name];
    if (value !== undefined) childEnv[name] = value;
  }
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
  const child = spawn(process.execPath, [BANCA_BIN, ...args], {
    cwd: options.cwd ?? makeTempDir('cwd'),
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const banca = new BancaChild(args, options.lifetime ?? 'test', child);
  children.add(banca);
  void banca.exited.then(() => children.delete(banca));
  return banca;
}

/** Runs a one-off command to its end. */
export async function runBanca(args: readonly string[], env: BancaEnv, options: { timeoutMs?: number } = {}): Promise<BancaChild & { exit: Exit }> {
  const banca = spawnBanca(args, env);
  const timer = setTimeout(() => void banca.kill(), options.timeoutMs ?? START_TIMEOUT_MS);
  await banca.exited;
  clearTimeout(timer);
  return banca as BancaChild & { exit: Exit };
}

export interface StartedBanca {
  banca: BancaChild;
  started: LogLine;
  /** `http://127.0.0.1:<port>` for processes with HTTP, else null. */
  base: string | null;
}

/** `banca start <kind>` until BANCA_STARTED; with HTTP, until /health/ready answers 200. */
export async function startBanca(kind: string, env: BancaEnv, options: { lifetime?: Lifetime } = {}): Promise<StartedBanca> {
  const banca = spawnBanca(['start', kind], { PORT: '0', ...env }, options);
  const started = await banca.waitForLog('BANCA_STARTED');
  const port = started.payload?.['port'];
  if (typeof port !== 'number') return { banca, started, base: null };
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => ((await fetch(`${base}/health/ready`)).status === 200 ? true : undefined), `${kind} to be ready`);
  return { banca, started, base };
}

/** Polls `probe` until it gives a value, every `intervalMs`, for at most `timeoutMs`. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((wait) => setTimeout(wait, intervalMs));
  }
}

export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `banca-e2e-${label}-`));
  tempDirs.add(dir);
  return dir;
}

/** Registers the hooks that stop every child left running and remove the temporary folders. */
export function useBancaCleanup(): void {
  afterEach(async () => {
    await Promise.all([...children].filter((c) => c.lifetime === 'test').map((c) => c.kill()));
  });
  after(async () => {
    await Promise.all([...children].map((c) => c.kill()));
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  });
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: unknown;
}

export async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown;
  if (contentType.startsWith('application/json')) body = JSON.parse(text);
  return { status: response.status, contentType, text, body };
}

/** A fresh PostgreSQL database of its own (job locks and tables never meet another test's), dropped by `drop`. */
export interface TestDatabase {
  url: string;
  name: string;
  /** A small pool on the database, for the test's own SQL. */
  knex: Knex;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = await serviceUrl('postgres');
  const name = `banca_e2e_${uniqueSuffix()}`.toLowerCase();
  await withAdmin(adminUrl, (admin) => admin.raw(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const knex = createPostgresKnex({ connectionString: url.toString(), pool: { max: 4 }, applicationName: 'banca-e2e-test' });
  return {
    url: url.toString(),
    name,
    knex,
    drop: async () => {
      await knex.destroy();
      await withAdmin(adminUrl, (admin) => admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(connectionString: string, use: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = createPostgresKnex({ connectionString, pool: { max: 1 }, applicationName: 'banca-e2e-test' });
  try {
    return await use(admin);
  } finally {
    await admin.destroy();
  }
}

export type JsonSchema = Record<string, unknown>;

/**
 * The problems of `value` against the subset of JSON Schema the OpenAPI document uses: $ref into the
 * document, type (one or several), enum, const, required, properties, additionalProperties, items,
 * anyOf/oneOf, minimum/maximum, minProperties. Formats and patterns are the server's to check.
 */
export function schemaProblems(value: unknown, schema: JsonSchema, root: JsonSchema, at = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const target = (schema['$ref'] as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
    if (!target) return [`${at}: unresolved ${String(schema['$ref'])}`];
    return schemaProblems(value, target as JsonSchema, root, at);
  }
  const anyOf = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (anyOf && !anyOf.some((option) => schemaProblems(value, option, root, at).length === 0)) return [`${at}: matches none of the alternatives`];
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).some((option) => option === value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  if ('const' in schema && schema['const'] !== value) return [`${at}: not ${JSON.stringify(schema['const'])}`];
  const types = schema['type'] === undefined ? null : ([] as unknown[]).concat(schema['type']);
  if (types && !types.some((type) => hasType(value, type as string))) return [`${at}: ${JSON.stringify(value)} is not ${types.join('|')}`];
  const problems: string[] = [];
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) problems.push(`${at}: below minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) problems.push(`${at}: above maximum`);
  }
  if (Array.isArray(value) && schema['items']) value.forEach((item, i) => problems.push(...schemaProblems(item, schema['items'] as JsonSchema, root, `${at}[${i}]`)));
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in record)) problems.push(`${at}: missing ${key}`);
    if (typeof schema['minProperties'] === 'number' && Object.keys(record).length < schema['minProperties']) problems.push(`${at}: too few properties`);
    for (const [key, item] of Object.entries(record)) {
      const own = properties[key];
      if (own) problems.push(...schemaProblems(item, own, root, `${at}.${key}`));
      else if (schema['additionalProperties'] === false) problems.push(`${at}: unexpected ${key}`);
      else if (typeof schema['additionalProperties'] === 'object') problems.push(...schemaProblems(item, schema['additionalProperties'] as JsonSchema, root, `${at}.${key}`));
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
