import jwt from 'jsonwebtoken';
import { signToken, type AuthClaims } from '../middleware/auth.middleware';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token whose `exp` passed a minute ago. */
export const expiredToken = (claims: AuthClaims, secret: string): string => signToken(claims, secret, -60);

/** A well-formed token signed with `alg: none`: no signature at all. */
export function unsignedToken(claims: AuthClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: claims.sub, role: claims.role, iat: now, exp: now + 3600 })}.`;
}

/** An HS256 token with exactly these claims: `exp` and `iat` as given (no `iat` unless given). */
export const tokenWithClaims = (claims: Record<string, unknown>, secret: string): string =>
  jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
