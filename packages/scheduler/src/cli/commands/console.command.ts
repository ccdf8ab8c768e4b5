import { parseArgs } from 'node:util';
import { signToken } from '@banca/http-koa';
import { loadConfig } from '../../config/env.config';
import { resolveAuthSecret } from '../../composition/auth-secret';
import { EXIT, UsageError } from '../cli-errors';

/** Long enough to open the link and look around; a new link costs one command. */
export const CONSOLE_TOKEN_SECONDS = 15 * 60;

/**
 * `banca console [--sub NAME] [--url BASE] [--expires-in SECONDS]`: a sign-in link to the operator
 * console carrying a short-lived admin token in its fragment, which browsers never send to a server,
 * so the token stays out of every request log.
 */
export async function consoleCommand(args: string[]): Promise<number> {
  let values: { sub?: string; url?: string; 'expires-in'?: string };
  try {
    ({ values } = parseArgs({ args, strict: true, options: { sub: { type: 'string' }, url: { type: 'string' }, 'expires-in': { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const config = loadConfig(process.env);
  const longest = Math.min(config.authMaxTokenTtlSeconds, 86_400);
  const expiresIn = values['expires-in'] === undefined ? Math.min(CONSOLE_TOKEN_SECONDS, longest) : Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > longest) throw new UsageError(`--expires-in must be whole seconds from 1 to ${longest}`);
  const base = consoleBaseUrl(values.url ?? `http://localhost:${config.port}`);
  const { secret } = resolveAuthSecret(config);
  const token = signToken({ sub: values.sub ?? 'console', role: 'admin' }, secret, expiresIn);
  process.stdout.write(`${base}/console#token=${token}\n`);
  process.stderr.write(`banca: the link signs in as admin for ${Math.round(expiresIn / 60)} minutes; keep it to yourself\n`);
  return EXIT.ok;
}

function consoleBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url must be the service's address, such as http://localhost:3000 (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be an http or https address');
  return url.origin;
}
