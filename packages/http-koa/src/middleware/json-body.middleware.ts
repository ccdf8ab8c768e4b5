import type { Context, Next } from 'koa';
import { HttpError } from '../http-error';
import { DuplicateJsonKeyError, parseJsonExact } from './exact-json';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Reads a JSON request body into `ctx.request.body` for methods that carry one: a body that is not
 * declared as JSON (UTF-8) is 415, one over the limit 413 (read no further), one that does not parse
 * 400, and so is one that gives a key twice (naming it). No body leaves `ctx.request.body` undefined.
 */
export function jsonBodyMiddleware(limitBytes = DEFAULT_BODY_LIMIT_BYTES) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const declared = Number(ctx.get('content-length') || '0');
    const hasBody = declared > 0 || ctx.get('transfer-encoding') !== '';
    if (hasBody && !isJsonMediaType(ctx)) {
      throw new HttpError(415, 'HTTP.UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json in UTF-8');
    }
    if (declared > limitBytes) throw tooLarge(ctx, limitBytes);
    const text = hasBody ? await readText(ctx, limitBytes) : '';
    let body: unknown = undefined;
    if (text.trim() !== '') {
      try {
        body = parseJsonExact(text);
      } catch (error) {
        if (error instanceof DuplicateJsonKeyError) {
          throw new HttpError(400, 'VALIDATION.INVALID_INPUT', error.message, { field: error.field, reason: 'appears more than once' });
        }
        throw new HttpError(400, 'HTTP.INVALID_JSON', 'the request body is not valid JSON');
      }
    }
    (ctx.request as { body?: unknown }).body = body;
    return next();
  };
}

function isJsonMediaType(ctx: Context): boolean {
  if (!ctx.is('application/json', '+json')) return false;
  const charset = /;\s*charset="?([^";\s]+)/i.exec(ctx.get('content-type'))?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

async function readText(ctx: Context, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limitBytes) throw tooLarge(ctx, limitBytes);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client went away mid-body: nobody is left to answer, and it is not a server fault.
    throw new HttpError(400, 'HTTP.INVALID_BODY', 'the request body could not be read to its end');
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(ctx: Context, limitBytes: number): HttpError {
  ctx.set('Connection', 'close');
  return new HttpError(413, 'HTTP.PAYLOAD_TOO_LARGE', `the request body is larger than ${limitBytes} bytes`, { limitBytes });
}
