import { bootService } from '@stammtisch/boot';
import { commentExistsOnSite, createSiteCache } from '@stammtisch/db';
import { closeServer, createMetricsRegistry, startServer } from '@stammtisch/http';
import { createShardedProducer, shardOf, subscribeToChanges } from '@stammtisch/queue';
import { Queue } from 'bullmq';
import { ADMIT_COMMAND } from './admission.js';
import { createApp } from './app.js';
import { loadIngestConfig } from './config.js';

// Composition root: the only file that reads the process environment.
const config = loadIngestConfig(process.env);
const { logger, db, layout, ...service } = bootService({ service: 'ingest', config, databasePoolSize: 4 });
// Fail fast: a command while Redis is down errors at once, so we answer 503 instead of hanging.
// Our own per-request commands (rate limits, idempotency, bans) are auto-pipelined: the commands
// of all requests in one event-loop tick share one round trip. BullMQ keeps a connection of its own.
const redis = service.producerConnection('requests', {
  commandTimeout: 2000,
  enableAutoPipelining: true,
  autoPipeliningIgnoredCommands: [ADMIT_COMMAND],
});
const queueConnection = service.producerConnection('queue', { commandTimeout: 2000 });
// One queue per shard (QUEUE_SHARDS); a site's comments always go to the same one.
const queues = layout.commentQueues.map(({ name, prefix }) => new Queue(name, { connection: queueConnection, prefix }));
for (const queue of queues) queue.on('error', (error) => logger.warn({ err: error }, 'queue error'));
const producer = createShardedProducer(queues, (siteId) => shardOf(siteId, queues.length));
const siteCache = createSiteCache(db, { logger });
const subscriber = service.workerConnection('change events');
// After a reconnect we may have missed events: start from a clean cache.
subscriber.on('ready', () => siteCache.clear());
await subscribeToChanges(subscriber, config.REDIS_PREFIX, (event) => {
  if (event.type === 'site.changed') siteCache.invalidateSite(event.siteId);
  else if (event.type === 'thread.changed') siteCache.invalidateThread(event.siteId, event.threadKey);
}).catch((error) => logger.warn({ err: error }, 'could not subscribe to change events yet'));

const lifecycle = service.gracefulShutdown('in-flight requests', async () => {
  await closeServer(server); // stop intake, let in-flight requests finish
  await producer.drain(); // every accepted job reaches Redis before we go
  await Promise.allSettled(queues.map((queue) => queue.close()));
  await Promise.allSettled([redis.quit(), queueConnection.quit(), subscriber.quit(), db.destroy()]);
});
const registry = createMetricsRegistry('ingest');
const app = createApp({
  db,
  redis,
  producer,
  siteCache,
  logger,
  registry,
  keyPrefix: config.REDIS_PREFIX,
  rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  siteRateLimitPerMinute: config.SITE_RATE_LIMIT_PER_MINUTE,
  trustProxy: config.TRUST_PROXY,
  ipHashSecret: config.IP_HASH_SECRET,
  commenterTokenSecret: config.COMMENTER_TOKEN_SECRET,
  commentExists: (siteId, commentId) => commentExistsOnSite(db, siteId, commentId),
  isShuttingDown: lifecycle.isShuttingDown,
  readiness: service.readiness(redis),
});
const { server, port } = await startServer(app, config.INGEST_PORT);
logger.info({ port }, 'ingest listening');
service.onSignals(lifecycle.shutdown);
