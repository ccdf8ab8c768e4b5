import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The JWT secret: AUTH_JWT_SECRET when set; otherwise, on the embedded default, a development
 * secret made once and kept in the data folder, so `banca token` and the service agree (design §8).
 */
export function resolveAuthSecret(configured: string | null, dataDir: string): { secret: string; source: 'environment' | 'data-folder' | 'generated'; file?: string } {
  if (configured) return { secret: configured, source: 'environment' };
  const file = join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, source: 'data-folder', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: 'generated', file };
}
