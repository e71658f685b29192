import { createDatabase } from '@stammtisch/db';
import { closeServer, createLogger, createMetricsRegistry, opsRoutes, startServer, withTimeout } from '@stammtisch/http';
import { createProducerConnection, createWorkerConnection, publishChange, subscribeToChanges } from '@stammtisch/queue';
import { loadBaseModel } from '@stammtisch/spam';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { loadWorkerConfig } from './config.js';
import { createSiteContextCache } from './site-context.js';
import { createCommentWorker } from './worker.js';

// Composition root: the only file that reads the process environment.
const config = loadWorkerConfig(process.env);
const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL });
const db = createDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'stammtisch-worker' });
const connection = createWorkerConnection(config.REDIS_URL);
connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));
const publisher = createProducerConnection(config.REDIS_URL);
publisher.on('error', () => {});
const subscriber = createWorkerConnection(config.REDIS_URL);
subscriber.on('error', () => {});

loadBaseModel(); // train the shipped model before the first job, not during it
const siteContexts = createSiteContextCache(db);
subscriber.on('ready', () => siteContexts.clear());
await subscribeToChanges(subscriber, config.REDIS_PREFIX, (event) => {
  if (event.type === 'site.changed' || event.type === 'model.changed') siteContexts.invalidate(event.siteId);
}).catch((error) => logger.warn({ err: error }, 'could not subscribe to change events yet'));

const registry = createMetricsRegistry('worker');
const worker = createCommentWorker({
  db,
  siteContexts,
  logger,
  registry,
  connection,
  prefix: config.REDIS_PREFIX,
  concurrency: config.WORKER_CONCURRENCY,
  lockDurationMs: config.WORKER_LOCK_DURATION_MS,
  onCommentWritten: async ({ siteId, threadKey }) => {
    // Best effort: a missed event only means a read cache lives out its short TTL.
    await publishChange(publisher, config.REDIS_PREFIX, { type: 'thread.changed', siteId, threadKey }).catch(() => {});
  },
});

let shuttingDown = false;
const ops = new Hono();
ops.route(
  '/',
  opsRoutes({
    registry,
    isShuttingDown: () => shuttingDown,
    checks: [
      { name: 'postgres', check: () => sql`select 1`.execute(db) },
      { name: 'redis', check: () => connection.ping() },
    ],
  }),
);
const { server, port } = await startServer(ops, config.WORKER_PORT);
logger.info({ port, concurrency: config.WORKER_CONCURRENCY }, 'worker running');

async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: finishing jobs in progress');
  try {
    // worker.close() stops taking jobs and waits for the ones in progress.
    await withTimeout(worker.close(), config.SHUTDOWN_TIMEOUT_MS);
    await Promise.allSettled([closeServer(server), connection.quit(), publisher.quit(), subscriber.quit(), db.destroy()]);
    logger.info('shut down cleanly');
    process.exit(0);
  } catch (error) {
    // Jobs still running are not lost: their lock expires and another worker takes them.
    logger.error({ err: error }, 'shutdown timed out');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
