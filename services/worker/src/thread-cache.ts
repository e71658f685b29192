import { type DB, type Thread, findOrCreateThreads } from '@stammtisch/db';
import { LRUCache } from 'lru-cache';

type ThreadInput = { siteId: string; key: string; url?: string | null; title?: string | null };

/**
 * Threads by site and key, so the comments of a busy thread cost one lookup
 * per TTL instead of one per comment, and a batch's new threads one
 * statement together. A thread's id and key never change; the TTL (and
 * `invalidateSite` on site change events) bounds how long a deleted site's
 * threads linger.
 */
export function createThreadCache(db: DB, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const cache = new LRUCache<string, { value: Promise<Thread>; siteId: string }>({
    max: options.maxEntries ?? 10_000,
    ttl: options.ttlMs ?? 60_000,
  });
  const keyOf = (input: ThreadInput) => `${input.siteId}\u0000${input.key}`;

  function remember(key: string, siteId: string, value: Promise<Thread>): void {
    const entry = { value, siteId };
    cache.set(key, entry);
    // A failed find-or-create is forgotten, so the next comment of the thread tries again.
    value.catch(() => {
      if (cache.peek(key) === entry) cache.delete(key);
    });
  }

  /** The threads of a batch, in input order; the ones not cached are found or made in one statement. */
  function getMany(inputs: ThreadInput[]): Array<Promise<Thread>> {
    const found = new Map<string, Promise<Thread>>();
    const missing = new Map<string, ThreadInput>();
    for (const input of inputs) {
      const key = keyOf(input);
      const cached = cache.get(key)?.value;
      if (cached) found.set(key, cached);
      else missing.set(key, input);
    }
    if (missing.size > 0) {
      // Concurrent batches of one new thread share this one find-or-create.
      const loaded = findOrCreateThreads(db, [...missing.values()]);
      for (const [key, input] of missing) {
        const value = loaded.then(
          (threads) =>
            threads.get(key) ??
            Promise.reject(new Error(`thread ${input.key} of site ${input.siteId} could not be created`)),
        );
        remember(key, input.siteId, value);
        found.set(key, value);
      }
    }
    return inputs.map((input) => found.get(keyOf(input))!);
  }

  return {
    getMany,
    get(input: ThreadInput): Promise<Thread> {
      return getMany([input])[0]!;
    },
    invalidateSite(siteId: string): void {
      const keys = [...cache.entries()].flatMap(([key, entry]) => (entry.siteId === siteId ? [key] : []));
      for (const key of keys) cache.delete(key);
    },
    clear(): void {
      cache.clear();
    },
  };
}
export type ThreadCache = ReturnType<typeof createThreadCache>;
