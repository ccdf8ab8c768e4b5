import { parseArgs } from 'node:util';
import { signToken } from '@banca/http-koa';
import { loadConfig } from '../../config/env.config';
import { resolveAuthSecret } from '../../composition/auth-secret';
import { EXIT, UsageError } from '../cli-errors';

/** `banca token --sub ID --role guardian|admin [--expires-in SECONDS]`: a bearer token for local use. */
export async function tokenCommand(args: string[]): Promise<number> {
  let values: { sub?: string; role?: string; 'expires-in'?: string };
  try {
    ({ values } = parseArgs({ args, strict: true, options: { sub: { type: 'string' }, role: { type: 'string' }, 'expires-in': { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.sub) throw new UsageError('token needs --sub (the guardian id, or any admin name)');
  if (values.role !== 'guardian' && values.role !== 'admin') throw new UsageError('token needs --role guardian or --role admin');
  const config = loadConfig(process.env);
  // No longer than the service accepts: a token it would refuse is no use.
  const longest = config.authMaxTokenTtlSeconds;
  const expiresIn = values['expires-in'] === undefined ? Math.min(3600, longest) : Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > longest) throw new UsageError(`--expires-in must be whole seconds from 1 to ${longest} (AUTH_MAX_TOKEN_TTL)`);
  const { secret } = resolveAuthSecret(config);
  process.stdout.write(`${signToken({ sub: values.sub, role: values.role }, secret, expiresIn)}\n`);
  return EXIT.ok;
}
