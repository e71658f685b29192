import { LRUCache } from 'lru-cache';

/**
 * Per-key loads kept for `ttlMs` (least recently used dropped beyond `max`):
 * concurrent callers of one key share a single load, and a failed load is
 * forgotten at once so the next call tries again. Values are the promises,
 * so a load in flight counts as cached.
 */
export function createCachedLoader<T>(load: (key: string) => Promise<T>, options: { ttlMs: number; max?: number }) {
  const cache = new LRUCache<string, Promise<T>>({ max: options.max ?? 10_000, ttl: options.ttlMs });
  return {
    get(key: string): Promise<T> {
      const cached = cache.get(key);
      if (cached) return cached;
      const value = load(key);
      cache.set(key, value);
      // Only this load: a newer one (after an invalidation) stays.
      value.catch(() => {
        if (cache.peek(key) === value) cache.delete(key);
      });
      return value;
    },
    invalidate(key: string): void {
      cache.delete(key);
    },
    clear(): void {
      cache.clear();
    },
  };
}
