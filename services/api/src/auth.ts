import { createHash, timingSafeEqual } from 'node:crypto';
import { type DB, type KeyRole, type Site, findActiveKey, findSite } from '@stammtisch/db';
import { AppError } from '@stammtisch/http';
import type { MiddlewareHandler } from 'hono';

/** Who is calling: the admin (every site) or a key bound to one site. */
export interface Principal {
  keyId: string;
  role: KeyRole;
  siteId: string | null;
}

export type AuthEnv = { Variables: { principal: Principal; requestId: string } };

function sameSecret(a: string, b: string): boolean {
  // Compare digests so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Reads the key from `Authorization: Bearer …` (or, for the moderation page, a session cookie resolved by `resolveKey`). */
export async function authenticate(
  db: DB,
  adminKey: string | undefined,
  key: string | undefined,
): Promise<Principal | null> {
  if (!key) return null;
  if (adminKey && sameSecret(key, adminKey)) return { keyId: 'admin', role: 'admin', siteId: null };
  const record = await findActiveKey(db, key);
  if (!record) return null;
  return { keyId: record.id, role: record.role, siteId: record.siteId };
}

export function bearerKey(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

/**
 * Requires a valid key. Revocation takes effect at once: keys are looked up
 * on every request (an indexed read), never cached.
 */
export function requireKey(options: {
  db: DB;
  adminKey?: string;
  keyFromRequest?: (c: Parameters<MiddlewareHandler>[0]) => Promise<string | undefined>;
}): MiddlewareHandler<AuthEnv> {
  return async function authenticateRequest(c, next) {
    const key = bearerKey(c.req.header('authorization')) ?? (await options.keyFromRequest?.(c));
    const principal = await authenticate(options.db, options.adminKey, key);
    if (!principal)
      throw new AppError(
        'unauthorized',
        key ? 'unknown or revoked key' : 'missing key: send Authorization: Bearer <key>',
      );
    c.set('principal', principal);
    await next();
  };
}

/**
 * Whether the principal may act on `siteId` with one of `roles`. Keys of
 * another site get 404 (ids leak nothing); keys of this site without the
 * role get 403.
 */
export function assertSiteAccess(
  principal: Principal,
  siteId: string,
  roles: KeyRole[],
  notFound: 'site_not_found' | 'comment_not_found' | 'not_found' = 'site_not_found',
): void {
  if (principal.role === 'admin') return;
  if (principal.siteId !== siteId)
    throw new AppError(notFound, notFound === 'site_not_found' ? `no site with id ${siteId}` : 'not found');
  if (!roles.includes(principal.role)) throw new AppError('forbidden', `a ${principal.role} key cannot do this`);
}

/** The site a key may administer in `roles` (owners by default): 404 site_not_found for one it may not see or that does not exist. */
export async function accessibleSite(
  db: DB,
  principal: Principal,
  id: string,
  roles: KeyRole[] = ['owner'],
): Promise<Site> {
  assertSiteAccess(principal, id, roles);
  const site = await findSite(db, id);
  if (!site) throw new AppError('site_not_found', `no site with id ${id}`);
  return site;
}

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new AppError('forbidden', 'only the admin key can do this');
}

/** The sites a principal may see: all (null) for the admin, else its own. */
export function visibleSiteIds(principal: Principal): string[] | null {
  return principal.role === 'admin' ? null : principal.siteId ? [principal.siteId] : [];
}
