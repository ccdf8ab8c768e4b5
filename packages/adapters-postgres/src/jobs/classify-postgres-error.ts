import type { ClassifiedError, ErrorType } from '@banca/domain/ports';

/** Socket and name-resolution failures: the database cannot be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT',
  'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EPIPE',
]);

/**
 * Server states that refuse or end our session: admin_shutdown (a terminated backend, a restart),
 * crash_shutdown, cannot_connect_now (starting up or in recovery), and too_many_connections.
 * The last is here rather than under POOLER_*: it comes from the server (or its max_connections, or a
 * role's CONNECTION LIMIT) at connect time, like a refused connection, and the same retry and
 * operator checks apply; its code 53300 stays in `errorCode`, so it remains distinguishable.
 */
const SESSION_REFUSED_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

const UNREACHABLE_MESSAGES = [
  /connection terminated/i, // pg: 'Connection terminated unexpectedly', '... due to connection timeout'
  /connection ended unexpectedly/i,
  /not queryable/i, // pg: a client whose connection already failed or closed
  /terminating connection/i,
  /timeout expired/i, // pg: connectionTimeoutMillis
];

interface ErrorFacts {
  name: string;
  code: string | null;
  message: string;
}

/**
 * The ErrorClassifier of the PostgreSQL adapter (docs/architecture.md, Running the jobs), for errors of pg, knex and, in front of
 * the server, PgBouncer. `errorCode` is the SQLSTATE or the system error code when one is present.
 * Causes and the attempts of an AggregateError (Node tries each address of a host) are looked at too.
 */
export function classifyPostgresError(error: unknown): ClassifiedError {
  const facts = collectFacts(error);
  const message = facts.find((f) => f.message.length > 0)?.message ?? String(error);
  for (const [errorType, matches] of RULES) {
    const match = facts.find(matches);
    if (match) return { errorType, errorCode: match.code ?? firstCode(facts), message };
  }
  return { errorType: 'UNKNOWN_ERROR', errorCode: firstCode(facts), message };
}

const RULES: ReadonlyArray<readonly [ErrorType, (f: ErrorFacts) => boolean]> = [
  // PgBouncer answers a client that waited too long for a server connection with 08P01 and this text.
  ['POOLER_WAIT_TIMEOUT', (f) => f.message.includes('query_wait_timeout')],
  ['QUERY_TIMEOUT', (f) =>
    f.code === '57014' || // statement_timeout, or a knex timeout that cancelled the query
    (f.code === '55P03' && /lock timeout/i.test(f.message)) ||
    (f.name === 'KnexTimeoutError' && f.message.includes('Defined query timeout')) ||
    /\bquery_timeout\b/.test(f.message) || // PgBouncer's query_timeout
    f.message === 'Query read timeout'], // pg's client-side query_timeout
  ['POOLER_TIMEOUT', (f) => f.message.includes('Timeout acquiring a connection')],
  ['DB_UNREACHABLE', (f) =>
    (f.code !== null && (NETWORK_CODES.has(f.code) || SESSION_REFUSED_SQLSTATES.has(f.code) || /^08[0-9A-Z]{3}$/.test(f.code))) ||
    UNREACHABLE_MESSAGES.some((pattern) => pattern.test(f.message))],
];

function collectFacts(error: unknown): ErrorFacts[] {
  const facts: ErrorFacts[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && facts.length < 10) {
    const current = pending.shift();
    if (current === undefined || current === null) continue;
    facts.push(factsOf(current));
    if (typeof current !== 'object') continue;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    if (Array.isArray(errors)) pending.push(...errors);
    if (cause !== undefined) pending.push(cause);
  }
  return facts;
}

function factsOf(value: unknown): ErrorFacts {
  if (typeof value !== 'object' || value === null) return { name: '', code: null, message: String(value) };
  const { name, code, message } = value as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: typeof name === 'string' ? name : '',
    code: typeof code === 'string' && code.length > 0 ? code : null,
    message: typeof message === 'string' ? message : '',
  };
}

const firstCode = (facts: ErrorFacts[]): string | null => facts.find((f) => f.code !== null)?.code ?? null;
