import { signToken, type AuthClaims } from '../middleware/auth.middleware';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token whose `exp` passed a minute ago. */
export const expiredToken = (claims: AuthClaims, secret: string): string => signToken(claims, secret, -60);

/** A well-formed token signed with `alg: none`: no signature at all. */
export function unsignedToken(claims: AuthClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: claims.sub, role: claims.role, iat: now, exp: now + 3600 })}.`;
}
