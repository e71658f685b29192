import { hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@stammtisch/http';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { openAesGcm, sealAesGcm } from '../shared/aes-gcm.js';

export const SESSION_COOKIE = 'stammtisch_mod';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_MS = 12 * 3600_000;

export interface ModeratorSession {
  key: string;
  csrf: string;
  expiresAt: number;
}

/**
 * The moderation page's session: the key, a CSRF token and an expiry, sealed
 * (AES-256-GCM) into an HttpOnly, SameSite=Strict cookie. Sealed, not just
 * signed, so the key never sits readable in the browser; stateless, so any
 * api process can read it. The key is still checked on every request, so
 * revoking it ends the session at once.
 */
export function createSessions(options: { secret: string; trustProxy?: boolean }) {
  const encKey = Buffer.from(hkdfSync('sha256', options.secret, 'stammtisch', 'moderation-session-v1', 32));

  function seal(session: ModeratorSession): string {
    const { iv, tag, data } = sealAesGcm(encKey, JSON.stringify(session));
    return Buffer.concat([iv, tag, data]).toString('base64url');
  }

  function unseal(value: string | undefined): ModeratorSession | null {
    if (!value) return null;
    try {
      const raw = Buffer.from(value, 'base64url');
      const plain = openAesGcm(encKey, { iv: raw.subarray(0, 12), tag: raw.subarray(12, 28), data: raw.subarray(28) });
      const session = JSON.parse(plain) as ModeratorSession;
      return session.expiresAt > Date.now() ? session : null;
    } catch {
      // A forged, tampered or old-key cookie is no session: the page asks for the key again.
      return null;
    }
  }

  function isHttps(c: Context): boolean {
    if (new URL(c.req.url).protocol === 'https:') return true;
    return Boolean(options.trustProxy) && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  }

  return {
    read(c: Context): ModeratorSession | null {
      return unseal(getCookie(c, SESSION_COOKIE));
    },
    start(c: Context, key: string): ModeratorSession {
      const session = { key, csrf: randomBytes(24).toString('base64url'), expiresAt: Date.now() + SESSION_TTL_MS };
      setCookie(c, SESSION_COOKIE, seal(session), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        path: '/',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return session;
    },
    end(c: Context): void {
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    },
    /**
     * For `requireKey`: the key of the session cookie, when there is no
     * bearer key. A change made with the cookie must carry the session's CSRF
     * token in `X-CSRF-Token` (SameSite=Strict alone leaves same-site
     * subdomains and old browsers).
     */
    async keyFromRequest(c: Context): Promise<string | undefined> {
      const session = unseal(getCookie(c, SESSION_COOKIE));
      if (!session) return undefined;
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && !sameToken(c.req.header(CSRF_HEADER), session.csrf)) {
        throw new AppError('forbidden', 'missing or wrong CSRF token: send X-CSRF-Token from the moderation page');
      }
      return session.key;
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;

export function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
