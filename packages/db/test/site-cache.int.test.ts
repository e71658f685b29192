import { type DB, createDatabase, createSiteCache } from '@stammtisch/db';
import { type TestContext, createTestContext, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
let deadDb: DB;
beforeAll(async () => {
  ctx = await createTestContext();
  deadDb = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
});
afterAll(async () => {
  await deadDb.destroy();
  await ctx.cleanup();
});

/** A handle whose queries go to whichever database `target.current` is. */
function switchable(target: { current: DB }): DB {
  return new Proxy(ctx.db, {
    get: (_t, prop) => {
      const value = Reflect.get(target.current, prop);
      return typeof value === 'function' ? value.bind(target.current) : value;
    },
  });
}

const rename = (id: string, name: string) => ctx.db.updateTable('sites').set({ name }).where('id', '=', id).execute();

describe('the site cache', () => {
  it('serves a loaded site until its TTL or an invalidation, then reads it again', async () => {
    await makeSite(ctx.db, { id: 'cached' });
    await rename('cached', 'Erst');
    const cache = createSiteCache(ctx.db, { ttlMs: 60_000 });
    expect((await cache.getSite('cached'))?.name).toBe('Erst');
    await rename('cached', 'Dann');
    expect((await cache.getSite('cached'))?.name).toBe('Erst');
    cache.invalidateSite('cached');
    expect((await cache.getSite('cached'))?.name).toBe('Dann');
  });

  it('remembers a missing site for its own, shorter TTL', async () => {
    const cache = createSiteCache(ctx.db, { ttlMs: 60_000, missingTtlMs: 50 });
    expect(await cache.getSite('later')).toBeNull();
    await makeSite(ctx.db, { id: 'later' });
    expect(await cache.getSite('later')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await cache.getSite('later'))?.id).toBe('later');
  });

  it('keeps serving a stale site while Postgres is away, and throws for one it never loaded', async () => {
    await makeSite(ctx.db, { id: 'stale' });
    const target = { current: ctx.db };
    const warnings: string[] = [];
    const cache = createSiteCache(switchable(target), {
      ttlMs: 0,
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    expect((await cache.getSite('stale'))?.id).toBe('stale');
    target.current = deadDb;
    expect((await cache.getSite('stale'))?.id).toBe('stale');
    expect((await cache.getSite('stale'))?.id).toBe('stale');
    await expect(cache.getSite('never-seen')).rejects.toThrow();
    // A thread it cannot read is taken as open rather than refusing the reader.
    const site = await cache.getSite('stale');
    expect(site && (await cache.isThreadOpen(site, '/unbekannt'))).toBe(true);
    // … and says so in the log.
    expect(warnings).toEqual(['could not load a thread; taking it as open']);
  });

  it('drops the least recently used site beyond maxEntries', async () => {
    await makeSite(ctx.db, { id: 'lru-a' });
    await makeSite(ctx.db, { id: 'lru-b' });
    const cache = createSiteCache(ctx.db, { ttlMs: 60_000, maxEntries: 1 });
    await cache.getSite('lru-a');
    await cache.getSite('lru-b');
    await rename('lru-a', 'Neu');
    expect((await cache.getSite('lru-a'))?.name).toBe('Neu');
  });
});
