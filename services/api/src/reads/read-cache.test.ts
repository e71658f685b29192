import { describe, expect, it } from 'vitest';
import { createReadCache } from './read-cache.js';

describe('read cache', () => {
  const page = (body: string) => ({ body, etag: `"${body}"` });

  it('drops every page of a thread, or of a site, at once and keeps the others', () => {
    const cache = createReadCache();
    cache.set('blog', '/a', 'blog|/a|1', page('a1'));
    cache.set('blog', '/a', 'blog|/a|2', page('a2'));
    cache.set('blog', '/b', 'blog|/b|1', page('b1'));
    cache.set('shop', '/a', 'shop|/a|1', page('s1'));
    cache.invalidateThread('blog', '/a');
    expect(cache.get('blog|/a|1')).toBeUndefined();
    expect(cache.get('blog|/a|2')).toBeUndefined();
    expect(cache.get('blog|/b|1')?.body).toBe('b1');
    cache.invalidateSite('blog');
    expect(cache.get('blog|/b|1')).toBeUndefined();
    expect(cache.get('shop|/a|1')?.body).toBe('s1');
  });

  it('forgets pages after the TTL and evicts the least recently used beyond the limit', async () => {
    const cache = createReadCache({ ttlMs: 20, maxEntries: 2 });
    cache.set('blog', '/a', 'k1', page('1'));
    cache.set('blog', '/a', 'k2', page('2'));
    cache.set('blog', '/a', 'k3', page('3'));
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k3')?.body).toBe('3');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.get('k3')).toBeUndefined();
    // An overwritten page stays droppable with its thread.
    cache.set('blog', '/a', 'k4', page('4'));
    cache.set('blog', '/a', 'k4', page('4b'));
    cache.invalidateThread('blog', '/a');
    expect(cache.get('k4')).toBeUndefined();
  });
});
