import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Context, Next } from 'koa';
import jwt from 'jsonwebtoken';
import { MAX_USER_ID_LENGTH } from '@banca/domain';
import { HttpError } from '../http-error';

export type Role = 'guardian' | 'admin';
export const ROLES: readonly Role[] = ['guardian', 'admin'];

export interface AuthClaims {
  sub: string;
  role: Role;
}

/** What a token must satisfy besides its signature. */
export interface TokenPolicy {
  /** HS256 secret (`AUTH_JWT_SECRET`). */
  secret: string;
  /** The longest lifetime accepted, from the earlier of `iat` and now to `exp` (`AUTH_MAX_TOKEN_TTL`). */
  maxTokenTtlSeconds: number;
}

export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 24 * 3600;
/** How far the issuer's clock may run ahead of ours before a token minted at the limit looks too long-lived. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies `Authorization: Bearer <JWT>` (HS256, claims sub, role, exp: docs/architecture.md (HTTP)) and returns its
 * claims. A token valid for longer than the policy's maximum is refused even when its signature is
 * good: a leaked one would otherwise be good for years.
 */
export function verifyBearer(header: string | undefined, policy: TokenPolicy): AuthClaims {
  if (!header) throw new HttpError(401, 'AUTH.MISSING_TOKEN', 'an Authorization: Bearer token is required');
  // The scheme name is case-insensitive (RFC 7235); the token is three base64url parts.
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(header.trim());
  if (!match) throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the Authorization header must be "Bearer <JWT>"');
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(match[1]!, secretKey(policy.secret), { algorithms: ['HS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new HttpError(401, 'AUTH.TOKEN_EXPIRED', 'the token has expired');
    throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the token is not valid');
  }
  if (typeof payload !== 'object' || typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') {
    throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the token must carry sub and exp');
  }
  // The subject is the user runs record (settled_by): no longer than the domain records.
  if (payload.sub.length > MAX_USER_ID_LENGTH) throw new HttpError(401, 'AUTH.INVALID_TOKEN', `the token's sub must be at most ${MAX_USER_ID_LENGTH} characters`);
  const role = (payload as { role?: unknown }).role;
  if (role !== 'guardian' && role !== 'admin') throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the token must carry role guardian or admin');
  assertLifetime(payload.exp, payload.iat, policy.maxTokenTtlSeconds);
  return { sub: payload.sub, role };
}

function assertLifetime(exp: number, iat: unknown, maxSeconds: number): void {
  const now = Date.now() / 1000;
  const tooLong = exp - now > maxSeconds + CLOCK_SKEW_SECONDS || (typeof iat === 'number' && exp - iat > maxSeconds);
  if (tooLong) {
    throw new HttpError(401, 'AUTH.TOKEN_TOO_LONG_LIVED', `the token must expire at most ${maxSeconds} seconds after it is issued`, { maxTokenTtlSeconds: maxSeconds });
  }
}

const secretKeys = new Map<string, KeyObject>();

/**
 * The HS256 key as a KeyObject, made once per secret: given a string, jsonwebtoken first tries to
 * read it as a public key on every request, which costs more than the verification itself.
 */
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** Lets the request through only with a valid token of the given role; the claims land in `ctx.state.auth`. */
export function requireRole(role: Role, policy: TokenPolicy) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const claims = verifyBearer(ctx.get('authorization') || undefined, policy);
    if (claims.role !== role) throw new HttpError(403, 'AUTH.FORBIDDEN', `this route needs the ${role} role`);
    ctx.state['auth'] = claims;
    await next();
  };
}

/** Signs a token for a user: the `banca token` helper and tests use it. */
export function signToken(claims: AuthClaims, secret: string, expiresInSeconds = 3600): string {
  return jwt.sign({ role: claims.role }, secret, { algorithm: 'HS256', subject: claims.sub, expiresIn: expiresInSeconds });
}
