import { LRUCache } from 'lru-cache';
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
  /** Where a failed thread look-up is reported (the read still answers "open"); a pino logger is one. */
  logger?: SiteCacheLogger;
}

export interface SiteCacheLogger {
  warn(details: object, message: string): void;
}

/** What the caches hold: lru-cache takes no null, and "no such site" is worth remembering. */
interface Loaded<T> {
  value: T;
}

/** A thread as far as taking new comments goes. */
interface ThreadState {
  closed: boolean;
  createdAt: Date;
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
  // Stale entries are kept (noDeleteOnStaleGet) so they can stand in while Postgres is away.
  const cacheOptions = { max: options.maxEntries ?? 10_000, noDeleteOnStaleGet: true };
  const sites = new LRUCache<string, Loaded<Site | null>>(cacheOptions);
  const threads = new LRUCache<string, Loaded<ThreadState | null>>(cacheOptions);

  async function cached<T>(
    cache: LRUCache<string, Loaded<T>>,
    key: string,
    load: () => Promise<T>,
    ttlFor: (value: T) => number,
  ): Promise<T> {
    const fresh = cache.get(key);
    if (fresh) return fresh.value;
    try {
      const value = await load();
      // lru-cache reads a ttl of 0 as "forever"; ours means "read again every time", which 1 ms is, near enough.
      cache.set(key, { value }, { ttl: Math.max(1, ttlFor(value)) });
      return value;
    } catch (error) {
      const stale = cache.get(key, { allowStale: true });
      if (stale) return stale.value;
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
      );
    },
    /** Whether a thread takes new comments. An unknown thread is open; when Postgres is away we assume open rather than refuse a reader. */
    async isThreadOpen(site: Site, threadKey: string, now = new Date()): Promise<boolean> {
      let thread: ThreadState | null;
      try {
        thread = await cached(
          threads,
          `${site.id}\u0000${threadKey}`,
          async () => {
            const found = await findThread(db, site.id, threadKey);
            return found ? { closed: found.closed, createdAt: found.createdAt } : null;
          },
          () => ttlMs,
        );
      } catch (error) {
        options.logger?.warn({ err: error, siteId: site.id, threadKey }, 'could not load a thread; taking it as open');
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
