import { LRUCache } from 'lru-cache';

interface CachedRead {
  body: string;
  etag: string;
  /** `site\0thread`: what a change event drops at once. */
  group: string;
}

/**
 * Rendered read answers (body and ETag) per thread, in process memory. A
 * change event for a thread drops every cached page of it at once, in every
 * api process (Redis pub/sub); the TTL only bounds staleness when an event is
 * missed.
 */
export function createReadCache(options: { ttlMs?: number; maxEntries?: number } = {}) {
  /** The keys cached per thread, so an event can drop them without scanning the cache. */
  const groups = new Map<string, Set<string>>();
  const entries = new LRUCache<string, CachedRead>({
    max: options.maxEntries ?? 10_000,
    ttl: options.ttlMs ?? 30_000,
    dispose(value, key, reason) {
      // An overwrite keeps the key in its group; any other removal (evicted, expired, deleted) leaves it.
      if (reason === 'set') return;
      const keys = groups.get(value.group);
      keys?.delete(key);
      if (keys?.size === 0) groups.delete(value.group);
    },
  });

  const groupOf = (siteId: string, threadKey: string) => `${siteId}\u0000${threadKey}`;

  function dropGroup(group: string): void {
    for (const key of [...(groups.get(group) ?? [])]) entries.delete(key);
    groups.delete(group);
  }

  return {
    get(key: string): { body: string; etag: string } | undefined {
      return entries.get(key);
    },
    set(siteId: string, threadKey: string, key: string, value: { body: string; etag: string }): void {
      const group = groupOf(siteId, threadKey);
      entries.set(key, { ...value, group });
      let keys = groups.get(group);
      if (!keys) groups.set(group, (keys = new Set()));
      keys.add(key);
    },
    invalidateThread(siteId: string, threadKey: string): void {
      dropGroup(groupOf(siteId, threadKey));
    },
    invalidateSite(siteId: string): void {
      for (const group of [...groups.keys()]) if (group.startsWith(`${siteId}\u0000`)) dropGroup(group);
    },
    clear(): void {
      entries.clear();
      groups.clear();
    },
  };
}
export type ReadCache = ReturnType<typeof createReadCache>;
