import type { Redis } from 'ioredis';

// Everything a new comment asks of Redis before it is queued, in one script
// (one round trip): the Idempotency-Key (a retry of a queued request gets
// its first answer), the per-IP and the site-wide rate limit (fixed one-minute
// windows), and, when admitted, the claim of the Idempotency-Key. A request
// that is rate-limited claims nothing, so the reader's retry is not answered
// with an id that was never queued. The keys carry the site as a hash tag,
// so they share a Redis Cluster slot.
const ADMIT = `
local previous = false
if #KEYS == 3 then previous = redis.call('GET', KEYS[3]) end
if previous and string.sub(previous, -7) == ':queued' then return {0, 0, previous} end
local ip, site = 0, 0
if tonumber(ARGV[1]) > 0 then
  ip = redis.call('INCR', KEYS[1])
  if ip == 1 then redis.call('EXPIRE', KEYS[1], 61) end
end
if tonumber(ARGV[2]) > 0 and ip <= tonumber(ARGV[1]) then
  site = redis.call('INCR', KEYS[2])
  if site == 1 then redis.call('EXPIRE', KEYS[2], 61) end
end
local limited = (tonumber(ARGV[1]) > 0 and ip > tonumber(ARGV[1])) or (tonumber(ARGV[2]) > 0 and site > tonumber(ARGV[2]))
if #KEYS == 3 and not previous and not limited then redis.call('SET', KEYS[3], ARGV[3] .. ':pending', 'EX', ARGV[4]) end
return {ip, site, previous or ''}`;
/**
 * The script's command name. Auto-pipelining must skip it on a Redis Cluster: ioredis would group it by
 * the slot of its first argument (the key count), not of its keys, and refuse the pipeline.
 */
export const ADMIT_COMMAND = 'stammtischAdmitComment';
const COMMAND = ADMIT_COMMAND;
type WithCommand = Redis & { [COMMAND]: (...args: Array<string | number>) => Promise<[number, number, string]> };
const defined = new WeakSet<Redis>();
const IDEMPOTENCY_SECONDS = 24 * 3600;

export type Admission =
  /** Go on with this id (new, or the one an earlier unfinished request with the same key claimed). */
  | { kind: 'admitted'; id: string; idempotencyKey: string | null }
  /** An earlier request with the same Idempotency-Key was queued: answer with its id, queue nothing. */
  | { kind: 'replay'; id: string }
  | { kind: 'rate_limited'; scope: 'ip' | 'site'; retryAfter: number };

export function idempotencyRedisKey(prefix: string, siteId: string, key: string): string {
  return `${prefix}:{s:${siteId}}:idem:${key}`;
}

export async function admitComment(
  redis: Redis,
  input: {
    prefix: string;
    siteId: string;
    ipHash: string;
    ipLimit: number;
    siteLimit: number;
    idempotencyKey?: string;
    newId: string;
    now?: number;
  },
): Promise<Admission> {
  // defineCommand sends EVALSHA and falls back to EVAL when Redis lost the script (restart, failover).
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { lua: ADMIT });
    defined.add(redis);
  }
  const now = input.now ?? Date.now();
  const window = Math.floor(now / 60_000);
  const tag = `${input.prefix}:{s:${input.siteId}}`;
  const keys = [`${tag}:rl:${input.ipHash}:${window}`, `${tag}:rl-site:${window}`];
  const idemKey =
    input.idempotencyKey !== undefined ? idempotencyRedisKey(input.prefix, input.siteId, input.idempotencyKey) : null;
  if (idemKey) keys.push(idemKey);
  const [ip, site, previous] = await (redis as WithCommand)[COMMAND](
    keys.length,
    ...keys,
    input.ipLimit,
    input.siteLimit,
    input.newId,
    IDEMPOTENCY_SECONDS,
  );
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
  if (input.ipLimit > 0 && Number(ip) > input.ipLimit) return { kind: 'rate_limited', scope: 'ip', retryAfter };
  if (input.siteLimit > 0 && Number(site) > input.siteLimit) return { kind: 'rate_limited', scope: 'site', retryAfter };
  if (previous) {
    const [id, state] = previous.split(':');
    if (state === 'queued') return { kind: 'replay', id: id! };
    return { kind: 'admitted', id: id!, idempotencyKey: idemKey };
  }
  return { kind: 'admitted', id: input.newId, idempotencyKey: idemKey };
}
