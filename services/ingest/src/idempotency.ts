import type { Redis } from 'ioredis';

const DAY_SECONDS = 24 * 3600;

// The key is claimed (SET … 'pending') by the admission script (admission.ts); these two settle it.
export async function markIdempotencyKeyQueued(redis: Redis, key: string, id: string): Promise<void> {
  await redis.set(key, `${id}:queued`, 'EX', DAY_SECONDS);
}

/** After a failed enqueue: free the key so the reader's retry is not answered with an id that was never queued. */
export async function releaseIdempotencyKey(redis: Redis, key: string): Promise<void> {
  await redis.del(key);
}
