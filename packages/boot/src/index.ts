import { type DB, createDatabase, pingDatabase } from '@stammtisch/db';
import { type Logger, type ReadinessCheck, createLogger, gracefulShutdown } from '@stammtisch/http';
import {
  type QueueLayout,
  type RedisTarget,
  createProducerConnection,
  createWorkerConnection,
  isClusterTarget,
  queueLayout,
  redisTarget,
} from '@stammtisch/queue';
import type { Redis, RedisOptions } from 'ioredis';

/** The part of every service's config the boot needs (DatabaseEnv, RedisEnv and LogEnv of @stammtisch/config). */
export interface BootConfig {
  LOG_LEVEL: string;
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: { host: string; port: number }[];
  REDIS_PREFIX: string;
  QUEUE_SHARDS: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

export interface Service {
  logger: Logger;
  db: DB;
  target: RedisTarget;
  /** Where the queues live (sharded comment queues, hash tags on a cluster). */
  layout: QueueLayout;
  /** A fail-fast connection (producers, HTTP handlers), its errors logged under `name`. */
  producerConnection(name: string, options?: RedisOptions): Redis;
  /** A connection for BullMQ workers and subscribers, its errors logged under `name`. */
  workerConnection(name: string, options?: RedisOptions): Redis;
  /** Readiness of Postgres and of the given Redis connection, for /readyz. */
  readiness(redis: Redis): ReadinessCheck[];
  /**
   * The service's shutdown sequence (gracefulShutdown of @stammtisch/http, within SHUTDOWN_TIMEOUT_MS):
   * `finishing` names what it waits for in the log, `stop` closes what the service opened.
   */
  gracefulShutdown(finishing: string, stop: () => Promise<unknown>): ReturnType<typeof gracefulShutdown>;
  /** Runs `shutdown` on SIGTERM and SIGINT. */
  onSignals(shutdown: (signal: string) => Promise<void>): void;
}

/**
 * What every service process starts with: its logger, its Postgres pool,
 * where Redis and the queues are, and Redis connections whose errors are
 * logged, not swallowed.
 */
export function bootService(options: { service: string; config: BootConfig; databasePoolSize: number }): Service {
  const { config, service } = options;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: options.databasePoolSize,
    applicationName: `stammtisch-${service}`,
  });
  const target = redisTarget(config);
  const layout = queueLayout({
    prefix: config.REDIS_PREFIX,
    shards: config.QUEUE_SHARDS,
    cluster: isClusterTarget(target),
  });
  return {
    logger,
    db,
    target,
    layout,
    producerConnection: (name, redisOptions) =>
      logConnectionErrors(createProducerConnection(target, redisOptions), logger, name),
    workerConnection: (name, redisOptions) =>
      logConnectionErrors(createWorkerConnection(target, redisOptions), logger, name),
    readiness: (redis) => [
      { name: 'postgres', check: () => pingDatabase(db) },
      { name: 'redis', check: () => redis.ping() },
    ],
    gracefulShutdown: (finishing, stop) =>
      gracefulShutdown({
        logger,
        timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        finishing,
        stop,
        exit: (code) => process.exit(code),
      }),
    onSignals(shutdown) {
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
    },
  };
}

/**
 * Logs a connection's errors: the first of an outage at warn, the rest at
 * debug (ioredis reports every failed reconnect), and the recovery at info.
 */
export function logConnectionErrors(redis: Redis, logger: Logger, name: string): Redis {
  let down = false;
  redis.on('error', (error) => {
    if (down) logger.debug({ err: error, connection: name }, 'redis still unreachable');
    else logger.warn({ err: error, connection: name }, 'redis error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis connection back');
    down = false;
  });
  return redis;
}
