/**
 * Rendered read answers (body and ETag) per thread, in process memory. A
 * change event for a thread drops every cached page of it at once, in every
 * api process (Redis pub/sub); the TTL only bounds staleness when an event is
 * missed.
 */
export function createReadCache(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { body: string; etag: string; storedAt: number; group: string }>();
  const groups = new Map<string, Set<string>>();

  const groupOf = (siteId: string, threadKey: string) => `${siteId}\u0000${threadKey}`;

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    groups.get(entry.group)?.delete(key);
  }

  return {
    get(key: string): { body: string; etag: string } | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (Date.now() - entry.storedAt > ttlMs) {
        remove(key);
        return undefined;
      }
      return entry;
    },
    set(siteId: string, threadKey: string, key: string, value: { body: string; etag: string }): void {
      if (entries.size >= maxEntries) remove(entries.keys().next().value as string);
      const group = groupOf(siteId, threadKey);
      entries.set(key, { ...value, storedAt: Date.now(), group });
      let set = groups.get(group);
      if (!set) groups.set(group, (set = new Set()));
      set.add(key);
    },
    invalidateThread(siteId: string, threadKey: string): void {
      const group = groupOf(siteId, threadKey);
      for (const key of groups.get(group) ?? []) entries.delete(key);
      groups.delete(group);
    },
    invalidateSite(siteId: string): void {
      for (const [group, keys] of groups) {
        if (!group.startsWith(`${siteId}\u0000`)) continue;
        for (const key of keys) entries.delete(key);
        groups.delete(group);
      }
    },
    clear(): void {
      entries.clear();
      groups.clear();
    },
  };
}
export type ReadCache = ReturnType<typeof createReadCache>;
