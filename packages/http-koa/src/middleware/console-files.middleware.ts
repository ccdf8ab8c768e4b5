import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context, Next } from 'koa';
import { HttpError } from '../http-error';
import { setRoute } from '../routing/request-state';

export const CONSOLE_PATH = '/console';

/** Content-hashed build output: a changed file gets a new name, so a browser may keep these for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The entry page names the current hashed assets: a browser asks again every time (a 304 when unchanged). */
const REVALIDATE = 'no-cache';
/**
 * The console calls its own origin only and runs no inline script; uPlot sizes its canvas through
 * style attributes, hence inline styles.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export interface ConsoleFilesOptions {
  /** The console's build output (its `index.html` and `assets/`); read per request, never at start-up. */
  dir: string;
}

/**
 * Serves the operator console's built files under `/console` (GET and HEAD): hashed files under
 * `assets/` as immutable, anything else as revalidated, and `index.html` for every other path under
 * `/console/`, which the console routes in the browser. A missing build is a 503 saying so.
 */
export function consoleFilesMiddleware(options: ConsoleFilesOptions) {
  const root = resolve(options.dir);
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path !== CONSOLE_PATH && !ctx.path.startsWith(`${CONSOLE_PATH}/`)) return next();
    setRoute(ctx, `${CONSOLE_PATH}/*`);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      throw new HttpError(405, 'HTTP.METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { allowed: ['GET', 'HEAD'] });
    }
    const relative = ctx.path.slice(CONSOLE_PATH.length).replace(/^\/+/, '');
    const asset = relative.startsWith('assets/') || extname(relative) !== '';
    const file = asset ? await fileUnder(root, relative) : null;
    if (asset && file === null) throw new HttpError(404, 'HTTP.NOT_FOUND', `no console file ${ctx.path}`);
    const chosen = file ?? (await fileUnder(root, 'index.html'));
    if (chosen === null) throw new HttpError(503, 'CONSOLE.NOT_BUILT', 'the console is not built: run `npm run build` (or `npm start`, which builds it)');
    send(ctx, chosen, relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
  };
}

interface FoundFile {
  path: string;
  size: number;
  mtime: Date;
}

/** The regular file at `relative` inside `root`, or null; a path that would leave `root` is null too. */
async function fileUnder(root: string, relative: string): Promise<FoundFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = join(root, decoded);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtime: info.mtime } : null;
  } catch {
    return null;
  }
}

function send(ctx: Context, file: FoundFile, cacheControl: string): void {
  ctx.type = extname(file.path);
  ctx.set('Cache-Control', cacheControl);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.lastModified = file.mtime;
  ctx.etag = `W/"${file.size.toString(16)}-${file.mtime.getTime().toString(16)}"`;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.length = file.size;
  if (ctx.method === 'HEAD') return;
  ctx.body = createReadStream(file.path);
}
