import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type BancaConfig } from '../config/env.config';

type AuthSecretConfig = Pick<BancaConfig, 'authJwtSecret' | 'databaseUrl' | 'dataDir'>;

/**
 * The JWT secret: AUTH_JWT_SECRET when set; otherwise, on the embedded default, a development
 * secret made once and kept in the data folder, so `banca token` and the service agree (docs/architecture.md, Configuration).
 */
export interface AuthSecret {
  secret: string;
  source: 'environment' | 'data-folder' | 'generated';
  file?: string;
}

export function resolveAuthSecret(config: AuthSecretConfig): AuthSecret {
  if (config.authJwtSecret) return { secret: config.authJwtSecret, source: 'environment' };
  assertAuthSecretConfigured(config);
  const file = join(config.dataDir, 'dev-jwt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, source: 'data-folder', file };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: 'generated', file };
}

/**
 * Outside the embedded default, instances share a database but not a data folder: each would make
 * its own development secret and refuse the others' tokens. There the secret must be configured.
 */
export function assertAuthSecretConfigured(config: AuthSecretConfig): void {
  if (config.authJwtSecret || !config.databaseUrl) return;
  throw new ConfigError(['AUTH_JWT_SECRET: required with DATABASE_URL (every instance must verify the others\' tokens, so none may make its own development secret)']);
}
