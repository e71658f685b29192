import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: one server by URL, or the seed nodes of a Redis Cluster. */
export type RedisTarget = string | { cluster: { host: string; port: number }[] };

/** The target a service's config names: REDIS_CLUSTER_NODES when set, else REDIS_URL. */
export function redisTarget(config: {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: { host: string; port: number }[];
}): RedisTarget {
  return config.REDIS_CLUSTER_NODES?.length ? { cluster: config.REDIS_CLUSTER_NODES } : config.REDIS_URL;
}

export function isClusterTarget(target: RedisTarget): target is { cluster: { host: string; port: number }[] } {
  return typeof target !== 'string';
}

/**
 * One server or a Cluster client with the same per-node options. The Cluster
 * is typed as `Redis`: ioredis gives both the same command interface (and
 * BullMQ tells them apart at run time), so the services' code and types stay
 * the same whichever Redis they run on.
 */
function connect(target: RedisTarget, options: RedisOptions): Redis {
  if (!isClusterTarget(target)) return new Redis(target, options);
  const { enableOfflineQueue, enableAutoPipelining, autoPipeliningIgnoredCommands, retryStrategy, ...redisOptions } =
    options;
  const cluster = new Cluster(target.cluster, {
    redisOptions,
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: enableAutoPipelining ?? false,
    autoPipeliningIgnoredCommands,
    clusterRetryStrategy: (times) => (retryStrategy ? (retryStrategy(times) ?? null) : Math.min(times * 200, 2000)),
    // A failover moves slots: follow MOVED/ASK a few times and refresh the slot map.
    maxRedirections: 16,
    slotsRefreshTimeout: 2000,
    lazyConnect: options.lazyConnect,
  });
  return cluster as unknown as Redis;
}

/**
 * A connection for code that must fail fast (producers, HTTP handlers):
 * no offline queue, so a command while Redis is down errors at once and the
 * caller can answer 503 instead of hanging.
 */
export function createProducerConnection(target: RedisTarget, options: RedisOptions = {}): Redis {
  return connect(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

/** A connection for BullMQ workers and subscribers: blocking commands must never time out on their own. */
export function createWorkerConnection(target: RedisTarget, options: RedisOptions = {}): Redis {
  return connect(target, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}
