import type { DB } from './connect.js';
import { findSite } from './repositories/sites.js';
import { findThread } from './repositories/threads.js';
import type { Site } from './schema.js';

export interface SiteCacheOptions {
  /** How long a loaded site is trusted before it is read again. */
  ttlMs?: number;
  /** How long "no such site" is remembered, so unknown ids cannot hammer Postgres. */
  missingTtlMs?: number;
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/**
 * Site and thread settings for the hot path, read from Postgres and kept in
 * memory. When Postgres is briefly away, entries we already have keep
 * serving past their TTL: ingest goes on accepting comments for known sites.
 * Change events from the api drop entries at once.
 */
export function createSiteCache(db: DB, options: SiteCacheOptions = {}) {
  const ttlMs = options.ttlMs ?? 30_000;
  const missingTtlMs = options.missingTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const sites = new Map<string, Entry<Site | null>>();
  const threads = new Map<string, Entry<{ closed: boolean; createdAt: Date } | null>>();

  async function cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>, ttlFor: (value: T) => number, staleOk: boolean): Promise<T> {
    const entry = map.get(key);
    const now = Date.now();
    if (entry && now - entry.loadedAt < ttlFor(entry.value)) return entry.value;
    try {
      const value = await load();
      if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
      map.set(key, { value, loadedAt: now });
      return value;
    } catch (error) {
      if (entry && staleOk) return entry.value;
      throw error;
    }
  }

  return {
    /** The site, or null when it does not exist. Throws only when Postgres is away and the site was never loaded. */
    getSite(siteId: string): Promise<Site | null> {
      return cached(
        sites,
        siteId,
        async () => (await findSite(db, siteId)) ?? null,
        (v) => (v ? ttlMs : missingTtlMs),
        true,
      );
    },
    /** Whether a thread takes new comments. An unknown thread is open; when Postgres is away we assume open rather than refuse a reader. */
    async isThreadOpen(site: Site, threadKey: string, now = new Date()): Promise<boolean> {
      let thread: { closed: boolean; createdAt: Date } | null;
      try {
        thread = await cached(
          threads,
          `${site.id}\u0000${threadKey}`,
          async () => {
            const found = await findThread(db, site.id, threadKey);
            return found ? { closed: found.closed, createdAt: found.createdAt } : null;
          },
          () => ttlMs,
          true,
        );
      } catch {
        return true;
      }
      if (!thread) return true;
      if (thread.closed) return false;
      const closeAfterDays = site.settings.closeAfterDays;
      return !closeAfterDays || now.getTime() - thread.createdAt.getTime() < closeAfterDays * 86_400_000;
    },
    invalidateSite(siteId: string): void {
      sites.delete(siteId);
    },
    invalidateThread(siteId: string, threadKey: string): void {
      threads.delete(`${siteId}\u0000${threadKey}`);
    },
    clear(): void {
      sites.clear();
      threads.clear();
    },
  };
}
export type SiteCache = ReturnType<typeof createSiteCache>;
