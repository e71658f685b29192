import { type DB, type Thread, findOrCreateThreads } from '@stammtisch/db';

type ThreadInput = { siteId: string; key: string; url?: string | null; title?: string | null };

/**
 * Threads by site and key, so the comments of a busy thread cost one lookup
 * per TTL instead of one per comment, and a batch's new threads one
 * statement together. A thread's id and key never change; the TTL (and
 * `invalidateSite` on site change events) bounds how long a deleted site's
 * threads linger.
 */
export function createThreadCache(db: DB, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: Promise<Thread>; loadedAt: number; siteId: string }>();
  const keyOf = (input: ThreadInput) => `${input.siteId}\u0000${input.key}`;

  function cached(key: string): Promise<Thread> | undefined {
    const entry = entries.get(key);
    return entry && Date.now() - entry.loadedAt < ttlMs ? entry.value : undefined;
  }
  function remember(key: string, siteId: string, value: Promise<Thread>): void {
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, { value, loadedAt: Date.now(), siteId });
    value.catch(() => entries.delete(key));
  }

  /** The threads of a batch, in input order; the ones not cached are found or made in one statement. */
  function getMany(inputs: ThreadInput[]): Array<Promise<Thread>> {
    const missing = new Map<string, ThreadInput>();
    for (const input of inputs) if (!cached(keyOf(input))) missing.set(keyOf(input), input);
    if (missing.size > 0) {
      // Concurrent batches of one new thread share this one find-or-create.
      const loaded = findOrCreateThreads(db, [...missing.values()]);
      for (const [key, input] of missing) {
        remember(
          key,
          input.siteId,
          loaded.then((found) => found.get(key) ?? Promise.reject(new Error(`thread ${input.key} of site ${input.siteId} could not be created`))),
        );
      }
    }
    return inputs.map((input) => cached(keyOf(input))!);
  }

  return {
    getMany,
    get(input: ThreadInput): Promise<Thread> {
      return getMany([input])[0]!;
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
