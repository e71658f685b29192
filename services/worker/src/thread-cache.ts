import { type DB, type Thread, findOrCreateThread } from '@stammtisch/db';

/**
 * Threads by site and key, so the comments of a busy thread cost one lookup
 * per TTL instead of one per comment. A thread's id and key never change;
 * the TTL (and `invalidateSite` on site change events) bounds how long a
 * deleted site's threads linger.
 */
export function createThreadCache(db: DB, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: Promise<Thread>; loadedAt: number; siteId: string }>();

  return {
    get(input: { siteId: string; key: string; url?: string | null; title?: string | null }): Promise<Thread> {
      const cacheKey = `${input.siteId}\u0000${input.key}`;
      const entry = entries.get(cacheKey);
      if (entry && Date.now() - entry.loadedAt < ttlMs) return entry.value;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      // Concurrent jobs of one new thread share one find-or-create.
      const value = findOrCreateThread(db, input);
      entries.set(cacheKey, { value, loadedAt: Date.now(), siteId: input.siteId });
      value.catch(() => entries.delete(cacheKey));
      return value;
    },
    invalidateSite(siteId: string): void {
      for (const [key, entry] of entries) if (entry.siteId === siteId) entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}
export type ThreadCache = ReturnType<typeof createThreadCache>;
