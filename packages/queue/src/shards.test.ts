import { describe, expect, it } from 'vitest';
import { commentQueueNames, queueLayout, shardOf } from './shards.js';

describe('queueLayout', () => {
  it('keeps one Redis as it was: one queue "comments" under the plain prefix', () => {
    const layout = queueLayout({ prefix: 'stammtisch', shards: 1, cluster: false });
    expect(layout.prefix).toBe('stammtisch');
    expect(layout.commentQueues).toEqual([{ name: 'comments', prefix: 'stammtisch' }]);
    expect(layout.commentQueueFor('any-site')).toEqual({ name: 'comments', prefix: 'stammtisch' });
  });

  it('gives every queue a hash tag on a cluster, and keeps a tag the prefix has already', () => {
    expect(queueLayout({ prefix: 'stammtisch', shards: 1, cluster: true }).commentQueues).toEqual([
      { name: 'comments', prefix: '{stammtisch}' },
    ]);
    expect(queueLayout({ prefix: '{stammtisch}', shards: 1, cluster: true }).prefix).toBe('{stammtisch}');
  });

  it('names shards with their own tag, first in the key, so each shard is its own slot', () => {
    const layout = queueLayout({ prefix: '{stammtisch}', shards: 16, cluster: true });
    expect(layout.commentQueues).toHaveLength(16);
    expect(layout.commentQueues[3]).toEqual({ name: '{comments-3}', prefix: 'stammtisch' });
    expect(commentQueueNames(4)).toEqual(['{comments-0}', '{comments-1}', '{comments-2}', '{comments-3}']);
  });

  it('hashes a site to the same shard every time, and 50 sites over all 16 shards', () => {
    const sites = Array.from({ length: 50 }, (_, i) => `site-${String(i).padStart(2, '0')}`);
    const shards = sites.map((site) => shardOf(site, 16));
    expect(sites.map((site) => shardOf(site, 16))).toEqual(shards);
    expect(shards.every((s) => s >= 0 && s < 16)).toBe(true);
    expect(new Set(shards).size).toBe(16);
    const layout = queueLayout({ prefix: 'st', shards: 16, cluster: true });
    expect(layout.commentQueueFor('site-07').name).toBe(`{comments-${shardOf('site-07', 16)}}`);
  });
});
