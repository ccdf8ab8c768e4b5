import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';

/** A refusal of the API, as it shapes errors: `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The input field the API named, when it named one. */
  get field(): string | null {
    return typeof this.details['field'] === 'string' ? this.details['field'] : null;
  }
}

let currentToken: string | null = null;
let onRefused: (error: ApiError) => void = () => undefined;

/** The bearer token every call carries, and who hears when the API refuses it (401) or its role (403). */
export function useTokenForCalls(token: string | null, refused: (error: ApiError) => void): void {
  currentToken = token;
  onRefused = refused;
}

/** The typed client of the admin API on this origin; its types are generated from the API's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    if (currentToken !== null) request.headers.set('Authorization', `Bearer ${currentToken}`);
    return request;
  },
});

/** The answer's body, or the API's refusal thrown as an ApiError (a 401 or 403 also signs out). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ApiError(0, 'NETWORK.UNREACHABLE', `The service did not answer (${error instanceof Error ? error.message : String(error)}).`);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const refusal = toApiError(response.status, error);
  if (response.status === 401 || response.status === 403) onRefused(refusal);
  throw refusal;
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
    return new ApiError(status, error.code, error.message, details);
  }
  return new ApiError(status, `HTTP.${status}`, `The service answered ${status}.`);
}

/** Every item of a cursor-paged list, following `nextCursor` up to `maxPages` pages. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, maxPages: number) {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const answer = await page(cursor);
    items.push(...answer.items);
    if (answer.nextCursor === null) return { items, complete: true };
    cursor = answer.nextCursor;
  }
  return { items, complete: false };
}
