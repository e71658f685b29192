/**
 * Fixed-window rate limits counted in Redis, shared by every process.
 *
 * One Lua script per check (INCR, and EXPIRE on the window's first hit)
 * instead of INCR then EXPIRE from the client: atomic, so a crash between the
 * two can never leave a counter without expiry (a key that limits forever),
 * and one round trip. One key per check, so it is Redis Cluster safe.
 */

/** What the limiter needs of an ioredis client (structural, so this package does not depend on ioredis). */
export interface RateLimitRedis {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

const INCR_WINDOW =
  "local count = redis.call('INCR', KEYS[1]) if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return count";
const COMMAND = 'stammtischRateLimitIncr';
type WithCommand = RateLimitRedis & { [COMMAND]: (key: string, ttlSeconds: number) => Promise<number> };
const defined = new WeakSet<RateLimitRedis>();

/** Counts one hit on `key` and returns the count; the key expires after `ttlSeconds`. */
export function incrementWindow(redis: RateLimitRedis, key: string, ttlSeconds: number): Promise<number> {
  // defineCommand sends EVALSHA and falls back to EVAL when Redis lost the script (restart, failover).
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCR_WINDOW });
    defined.add(redis);
  }
  return (redis as WithCommand)[COMMAND](key, ttlSeconds);
}

/**
 * Counts one hit against `limit` per window of `windowSeconds` (default one
 * minute). Returns how many seconds to wait when the limit is exceeded, else
 * null. A limit of 0 or less means no limit.
 */
export async function checkRateLimit(
  redis: RateLimitRedis,
  input: { key: string; limit: number; windowSeconds?: number; now?: number },
): Promise<number | null> {
  if (input.limit <= 0) return null;
  const windowMs = (input.windowSeconds ?? 60) * 1000;
  const now = input.now ?? Date.now();
  const window = Math.floor(now / windowMs);
  const count = Number(await incrementWindow(redis, `${input.key}:${window}`, Math.ceil(windowMs / 1000) + 1));
  if (count <= input.limit) return null;
  return Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
}
