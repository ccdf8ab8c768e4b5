/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Keys whose value is a secret whatever it looks like: headers, passwords, tokens, keys. */
const SECRET_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key)$|(?:password|passwd|secret|token|apikey|api_key|privatekey|private_key)$/i;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const SECRET_QUERY = /([?&#](?:token|access_token|id_token|password|secret)=)[^&#\s"]+/gi;
const MAX_DEPTH = 8;

/**
 * A copy of a log payload with secrets replaced by `[REDACTED]` (docs/architecture.md, Logs): values
 * under secret-named keys (`authorization`, `password`, `…Token`, `…Secret`), and inside any text the
 * password of a URL, a `Bearer`/`Basic` credential, a JWT and a token in a query string or fragment.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value, 0, new WeakSet()) as T;
}

/** A text with its secrets replaced (see redactSecrets). */
export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED).replace(SECRET_QUERY, `$1${REDACTED}`);
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redact(item, depth + 1, seen);
  }
  return copy;
}
