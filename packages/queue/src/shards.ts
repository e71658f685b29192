import { createHash } from 'node:crypto';
import { COMMENTS_QUEUE } from './queue-names.js';

/**
 * Where the BullMQ queues live in Redis.
 *
 * BullMQ's Lua scripts touch many keys of one queue at once, so on a Redis
 * Cluster every key of a queue must hash to one slot: the key needs a hash
 * tag `{…}`. One queue is then one slot on one master, so the comment queue,
 * the busiest, is split into `shards` queues, each with its own tag, and a
 * site always goes to the same shard. With one shard (the default) nothing
 * changes: the queue is "comments" under the plain prefix, as before.
 */
export interface QueueLayout {
  /** Prefix for queues that are not sharded (events, webhooks, emails): tagged on a cluster, so each queue's keys meet. */
  prefix: string;
  /** The comment queues, in shard order; workers consume all of them. */
  commentQueues: { name: string; prefix: string }[];
  /** The comment queue a site's jobs go to. */
  commentQueueFor(siteId: string): { name: string; prefix: string };
}

/** "{stammtisch}" for "stammtisch": a prefix that already has a hash tag is kept. */
function tagged(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

/** Shard names with the tag in the name, e.g. "{comments-3}"; 16 of them land on all three masters of a 3-master cluster. */
export function commentQueueNames(shards: number): string[] {
  if (shards <= 1) return [COMMENTS_QUEUE];
  return Array.from({ length: shards }, (_, i) => `{${COMMENTS_QUEUE}-${i}}`);
}

/** Stable site → shard: the first 32 bits of SHA-1, so every process (and language) agrees. */
export function shardOf(siteId: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash('sha1').update(siteId).digest().readUInt32BE(0) % shards;
}

export function queueLayout(options: { prefix: string; shards: number; cluster: boolean }): QueueLayout {
  const prefix = options.cluster ? tagged(options.prefix) : options.prefix;
  // The shard's own tag must be the first one in its keys, so the shard prefix has its braces removed.
  const shardPrefix = options.prefix.replace(/[{}]/g, '');
  const commentQueues =
    options.shards <= 1
      ? [{ name: COMMENTS_QUEUE, prefix }]
      : commentQueueNames(options.shards).map((name) => ({ name, prefix: shardPrefix }));
  return {
    prefix,
    commentQueues,
    commentQueueFor: (siteId) => commentQueues[shardOf(siteId, commentQueues.length)]!,
  };
}
