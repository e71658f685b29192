import { type KeyObject, createSecretKey } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

/**
 * Commenter tokens: a compact JWT (HS256) the api hands a signed-in reader and
 * ingest checks on every comment without touching the database. Signed and
 * checked with `jose`, so the JOSE details (header, base64url, constant-time
 * comparison, refusing `alg: none`) are a well-kept library's job, not ours.
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

const ALGORITHM = 'HS256';

// jose imports a raw secret as a key on every call; a KeyObject made once per secret (a process has one or
// two) spares every signed-in comment that import.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/** Signs claims for `ttlSeconds` (capped at one hour). */
export async function signCommenterToken(
  claims: Omit<CommenterClaims, 'exp' | 'iat'>,
  secret: string,
  ttlSeconds = COMMENTER_TOKEN_MAX_TTL_S,
  now = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.min(ttlSeconds, COMMENTER_TOKEN_MAX_TTL_S))
    .sign(keyOf(secret));
}

export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'site';

function problemOf(error: unknown): TokenProblem {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  // Anything else jose refuses (bad encoding, another `alg` or `typ`, a claim of the wrong type) is no token of ours.
  if (error instanceof errors.JOSEError) return 'malformed';
  throw error;
}

function hasCommenterClaims(payload: Record<string, unknown>): payload is Record<string, unknown> & CommenterClaims {
  return (
    typeof payload.sub === 'string' &&
    typeof payload.iss === 'string' &&
    typeof payload.name === 'string' &&
    typeof payload.exp === 'number'
  );
}

/**
 * Checks signature, expiry and site. Only HS256 with `typ: JWT` is accepted,
 * so `alg: none` or key-confusion tricks never reach the signature check.
 */
export async function verifyCommenterToken(
  token: string,
  secret: string,
  siteId: string,
  now = Date.now(),
): Promise<{ ok: true; claims: CommenterClaims } | { ok: false; problem: TokenProblem }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      typ: 'JWT',
      currentDate: new Date(now),
    }));
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
  if (!hasCommenterClaims(payload)) return { ok: false, problem: 'malformed' };
  if (payload.site !== siteId) return { ok: false, problem: 'site' };
  return { ok: true, claims: payload };
}
