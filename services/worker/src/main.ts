import { createAkismetClient } from './akismet.js';
import { createDatabase, pingDatabase } from '@stammtisch/db';
import { closeServer, gracefulShutdown, createLogger, createMetricsRegistry, opsRoutes, startServer } from '@stammtisch/http';
import {
  EMAILS_QUEUE,
  EVENTS_QUEUE,
  WEBHOOKS_QUEUE,
  createProducerConnection,
  createWorkerConnection,
  isClusterTarget,
  publishChange,
  queueLayout,
  redisTarget,
  subscribeToChanges,
} from '@stammtisch/queue';
import { Queue } from 'bullmq';
import { loadBaseModel } from '@stammtisch/spam';
import { Hono } from 'hono';
import { loadWorkerConfig } from './config.js';
import { createMailer } from '@stammtisch/mail';
import { queueCommentsWrittenEvents, queueReportedEvent } from './comment-events.js';
import { createEventInterestCache } from './event-interest.js';
import { createNotificationWorkers } from './notification-workers.js';
import { createSiteContextCache } from './site-context.js';
import { createThreadCache } from './thread-cache.js';
import { type EditProcessorDeps, processCommentEdit } from './processors/comment-edit.js';
import { createCommentWorker } from './worker.js';

// Composition root: the only file that reads the process environment.
const config = loadWorkerConfig(process.env);
const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL });
const db = createDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'stammtisch-worker' });
const target = redisTarget(config);
// On a Redis Cluster every queue carries a hash tag; the comment queue is split into QUEUE_SHARDS queues.
const layout = queueLayout({ prefix: config.REDIS_PREFIX, shards: config.QUEUE_SHARDS, cluster: isClusterTarget(target) });
const connection = createWorkerConnection(target);
connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));
const publisher = createProducerConnection(target);
publisher.on('error', () => {});
const subscriber = createWorkerConnection(target);
subscriber.on('error', () => {});

loadBaseModel(); // train the shipped model before the first job, not during it
const siteContexts = createSiteContextCache(db);
const eventInterest = createEventInterestCache(db);
// Hot path: one thread look-up per busy thread (the worker batches the rest: worker.ts).
const threads = createThreadCache(db);
subscriber.on('ready', () => {
  siteContexts.clear();
  threads.clear();
});
await subscribeToChanges(subscriber, config.REDIS_PREFIX, (event) => {
  if (event.type === 'site.changed' || event.type === 'model.changed') siteContexts.invalidate(event.siteId);
  if (event.type === 'site.changed') {
    threads.invalidateSite(event.siteId);
    eventInterest.invalidate(event.siteId);
  }
}).catch((error) => logger.warn({ err: error }, 'could not subscribe to change events yet'));

const registry = createMetricsRegistry('worker');
// Webhooks and mail: events fan out to deliveries and mails, each on its own queue.
const eventsQueue = new Queue(EVENTS_QUEUE, { connection: publisher, prefix: layout.prefix });
const webhooksQueue = new Queue(WEBHOOKS_QUEUE, { connection: publisher, prefix: layout.prefix });
const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
if (!mailer) logger.info('SMTP_URL is not set: mail is off (no reply notifications, no held-comment notices)');
const emailsQueue = mailer ? new Queue(EMAILS_QUEUE, { connection: publisher, prefix: layout.prefix }) : null;
const eventProducer = { db, eventsQueue, emailsQueue, interest: (siteId: string) => eventInterest.get(siteId) };
for (const queue of [eventsQueue, webhooksQueue, emailsQueue]) queue?.on('error', () => {});
const notificationWorkers = createNotificationWorkers({
  db,
  logger,
  connection: createWorkerConnection(target),
  prefix: layout.prefix,
  webhooksQueue,
  emailsQueue,
  mailer,
  publicApiUrl: config.PUBLIC_API_URL,
  allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  webhookConcurrency: config.WEBHOOK_CONCURRENCY,
  disableAfter: config.WEBHOOK_DISABLE_AFTER,
  registry,
});

// One consumer per comment queue shard, so every shard is drained by every worker process; each
// decides its jobs in batches (worker.ts).
const akismet = createAkismetClient({ endpoint: config.AKISMET_URL, timeoutMs: config.AKISMET_TIMEOUT_MS });
// A writer's edit goes through the spam checks again; caches and live streams then hear of it.
const editDeps: EditProcessorDeps = {
  db,
  siteContexts,
  logger,
  onCommentEdited: async ({ siteId, threadKey, commentId, status }) => {
    await publishChange(publisher, config.REDIS_PREFIX, { type: 'comments.written', comments: [{ siteId, threadKey, id: commentId, status }] }).catch(() => {});
  },
};
const workers = layout.commentQueues.map(({ name, prefix }) =>
  createCommentWorker({
    queueName: name,
    db,
    siteContexts,
    akismet,
    processEdit: (edit) => processCommentEdit(editDeps, edit),
    findThreads: threads.getMany,
    logger,
    registry,
    connection,
    prefix,
    concurrency: config.WORKER_CONCURRENCY,
    batchWaitMs: config.WORKER_BATCH_WAIT_MS,
    lockDurationMs: config.WORKER_LOCK_DURATION_MS,
    onCommentsWritten: async (written) => {
      // One change event per batch. Best effort: a missed event only means a read cache lives out its short TTL.
      const comments = written.map((w) => ({ siteId: w.siteId, threadKey: w.threadKey, id: w.commentId, status: w.status }));
      const published = publishChange(publisher, config.REDIS_PREFIX, { type: 'comments.written', comments }).catch(() => {});
      // Not best effort: if the events cannot be queued the batch's jobs fail and are retried, and the
      // retries (which find their rows stored) queue them through onCommentsReplayed.
      await queueCommentsWrittenEvents(eventProducer, written).catch((error) => {
        logger.warn({ err: error, comments: written.length }, 'could not queue comment events; the jobs will be retried');
        throw error;
      });
      await published;
    },
    // Retried jobs whose comments are stored already: queue their events again (same ids, so never twice).
    onCommentsReplayed: (replayed) => queueCommentsWrittenEvents(eventProducer, replayed),
    onReported: (report) =>
      queueReportedEvent({ eventsQueue }, report).catch((error) => logger.warn({ err: error, commentId: report.commentId }, 'could not queue report event')),
  }),
);

const lifecycle = gracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  finishing: 'jobs in progress',
  exit: (code) => process.exit(code),
  stop: async () => {
    // worker.close() stops taking jobs and waits for the ones in progress.
    await Promise.all([...workers.map((worker) => worker.close()), notificationWorkers.close()]);
    await Promise.allSettled([eventsQueue.close(), webhooksQueue.close(), emailsQueue?.close()]);
    await Promise.allSettled([closeServer(server), connection.quit(), publisher.quit(), subscriber.quit(), db.destroy()]);
  },
});
const ops = new Hono();
ops.route(
  '/',
  opsRoutes({
    registry,
    isShuttingDown: lifecycle.isShuttingDown,
    checks: [
      { name: 'postgres', check: () => pingDatabase(db) },
      { name: 'redis', check: () => connection.ping() },
    ],
  }),
);
const { server, port } = await startServer(ops, config.WORKER_PORT);
logger.info({ port, concurrency: config.WORKER_CONCURRENCY, shards: workers.length }, 'worker running');

process.on('SIGTERM', () => void lifecycle.shutdown('SIGTERM'));
process.on('SIGINT', () => void lifecycle.shutdown('SIGINT'));
