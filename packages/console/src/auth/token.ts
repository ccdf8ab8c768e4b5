/** What the console reads of a bearer token before using it; the API checks the signature. */
export interface TokenClaims {
  sub: string;
  role: string;
  /** Seconds since the epoch. */
  exp: number;
}

export type TokenCheck = { ok: true; token: string; claims: TokenClaims } | { ok: false; problem: string };

/**
 * Reads a pasted or linked token's claims, so a guardian's token or an expired one is turned away
 * with a message saying so, before any call. A token that passes may still be refused by the API
 * (a wrong signature, a different secret): that refusal gets its own message.
 */
export function checkToken(raw: string, nowMs: number): TokenCheck {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (token === '') return { ok: false, problem: 'Paste an admin token to sign in.' };
  const claims = claimsOf(token);
  if (claims === null) return { ok: false, problem: 'That is not a token the service issues (a JWT of three dot-separated parts). Run `banca console` or `banca token --sub YOU --role admin` for one.' };
  if (claims.role !== 'admin') {
    return { ok: false, problem: `That token is a ${claims.role || 'roleless'} token: the console needs an admin token. Run \`banca console\` for a sign-in link.` };
  }
  if (claims.exp * 1000 <= nowMs) {
    return { ok: false, problem: `That token expired at ${new Date(claims.exp * 1000).toISOString()}. Run \`banca console\` for a new sign-in link.` };
  }
  return { ok: true, token, claims };
}

function claimsOf(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = new TextDecoder().decode(base64UrlBytes(parts[1]!));
    const payload = JSON.parse(json) as Record<string, unknown>;
    if (typeof payload['exp'] !== 'number') return null;
    return { sub: String(payload['sub'] ?? ''), role: String(payload['role'] ?? ''), exp: payload['exp'] };
  } catch {
    return null;
  }
}

function base64UrlBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

/** The token of a sign-in link (`/console#token=…`), read from the fragment, which no server sees. */
export function tokenInFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('token');
}
