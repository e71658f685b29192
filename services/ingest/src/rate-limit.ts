import type { Redis } from 'ioredis';

/**
 * Fixed one-minute windows counted in Redis, shared by every ingest process.
 * Returns how many seconds to wait when the limit is exceeded, else null.
 */
export async function checkRateLimit(redis: Redis, input: { key: string; limit: number; now?: number }): Promise<number | null> {
  if (input.limit <= 0) return null;
  const now = input.now ?? Date.now();
  const window = Math.floor(now / 60_000);
  const key = `${input.key}:${window}`;
  const results = await redis.multi().incr(key).expire(key, 61).exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  if (count <= input.limit) return null;
  return Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
}
