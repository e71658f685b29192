import type { Redis } from 'ioredis';

const DAY_SECONDS = 24 * 3600;

/**
 * Claims an Idempotency-Key for a new comment id. Returns the id to use: the
 * new one, or the one a previous request with the same key got, and whether
 * that previous request is known to have been queued completely.
 */
export async function claimIdempotencyKey(redis: Redis, key: string, newId: string): Promise<{ id: string; alreadyQueued: boolean }> {
  // SET … NX GET (Redis ≥ 7): one round trip that either claims the key or tells us its owner.
  const previous = (await redis.call('SET', key, `${newId}:pending`, 'NX', 'GET', 'EX', String(DAY_SECONDS))) as string | null;
  if (previous === null) return { id: newId, alreadyQueued: false };
  const [id, state] = previous.split(':');
  return { id: id!, alreadyQueued: state === 'queued' };
}

export async function markIdempotencyKeyQueued(redis: Redis, key: string, id: string): Promise<void> {
  await redis.set(key, `${id}:queued`, 'EX', DAY_SECONDS);
}

/** After a failed enqueue: free the key so the reader's retry is not answered with an id that was never queued. */
export async function releaseIdempotencyKey(redis: Redis, key: string): Promise<void> {
  await redis.del(key).catch(() => {});
}
