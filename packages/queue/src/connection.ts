import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for code that must fail fast (producers, HTTP handlers):
 * no offline queue, so a command while Redis is down errors at once and the
 * caller can answer 503 instead of hanging.
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

/** A connection for BullMQ workers and subscribers: blocking commands must never time out on their own. */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}
