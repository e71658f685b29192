import type { Site } from '@stammtisch/db';
import { AppError } from '@stammtisch/http';
import type { Context } from 'hono';

/** Whether a browser Origin may write to this site: listed exactly, or the site allows "*". */
export function isOriginAllowed(site: Site, origin: string): boolean {
  return site.origins.includes('*') || site.origins.includes(origin);
}

/**
 * Per-site CORS for public writes. No Origin (server to server) passes; an
 * Origin that the site does not list is refused with 403 origin_not_allowed.
 */
export function applySiteCors(c: Context, site: Site): void {
  const origin = c.req.header('origin');
  if (!origin) return;
  if (!isOriginAllowed(site, origin))
    throw new AppError('origin_not_allowed', `origin ${origin} is not allowed for site ${site.id}`);
  c.header('Access-Control-Allow-Origin', site.origins.includes('*') ? '*' : origin);
  c.header('Vary', 'Origin');
  c.header('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
}

export function preflightHeaders(c: Context): void {
  c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
  c.header('Access-Control-Allow-Headers', 'Content-Type, Idempotency-Key, Authorization');
  c.header('Access-Control-Max-Age', '600');
}
