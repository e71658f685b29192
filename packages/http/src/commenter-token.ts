import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Commenter tokens: a compact JWS (HS256) the api hands a signed-in reader and
 * ingest checks on every comment without touching the database. Written on
 * node:crypto rather than a JOSE library so ingest needs no extra dependency;
 * the format is plain JWT, so any JOSE library can read it (and the tests do).
 */

/** Who the token vouches for. `iss`/`sub` identify the account at the provider. */
export interface CommenterClaims {
  sub: string;
  iss: string;
  /** The site the token was issued for; other sites refuse it. */
  site: string;
  name: string;
  /** The provider's display name, e.g. "Google". */
  provider: string;
  url?: string;
  /** Seconds since epoch. */
  exp: number;
  iat: number;
}

/** Tokens live at most an hour: a sign-out elsewhere or a ban bites soon. */
export const COMMENTER_TOKEN_MAX_TTL_S = 3600;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** Signs claims for `ttlSeconds` (capped at one hour). */
export function signCommenterToken(
  claims: Omit<CommenterClaims, 'exp' | 'iat'>,
  secret: string,
  ttlSeconds = COMMENTER_TOKEN_MAX_TTL_S,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const full: CommenterClaims = { ...claims, iat, exp: iat + Math.min(ttlSeconds, COMMENTER_TOKEN_MAX_TTL_S) };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, secret).toString('base64url')}`;
}

export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'site';

/**
 * Checks signature, expiry and site. Only our own header is accepted, so
 * `alg: none` or key-confusion tricks never reach the signature check.
 */
export function verifyCommenterToken(
  token: string,
  secret: string,
  siteId: string,
  now = Date.now(),
): { ok: true; claims: CommenterClaims } | { ok: false; problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, problem: 'malformed' };
  const [, payload, signature] = parts as [string, string, string];
  const expected = sign(`${HEADER}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'signature' };
  let claims: CommenterClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.iss !== 'string' || typeof claims.name !== 'string' || typeof claims.exp !== 'number') {
    return { ok: false, problem: 'malformed' };
  }
  if (claims.exp * 1000 <= now) return { ok: false, problem: 'expired' };
  if (claims.site !== siteId) return { ok: false, problem: 'site' };
  return { ok: true, claims };
}

/** The Redis set of banned identities (`issuer|subject`) of a site: the api keeps it, ingest reads it. */
export function identityBanKey(prefix: string, siteId: string): string {
  return `${prefix}:identity-bans:${siteId}`;
}
