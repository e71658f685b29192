import { bootService } from '@stammtisch/boot';
import { closeServer, createMetricsRegistry, opsRoutes, startServer } from '@stammtisch/http';
import { createMailer } from '@stammtisch/mail';
import { EMAILS_QUEUE, EVENTS_QUEUE, WEBHOOKS_QUEUE, publishChange, subscribeToChanges } from '@stammtisch/queue';
import { loadBaseModel } from '@stammtisch/spam';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { createAkismetClient } from './akismet.js';
import { queueCommentsWrittenEvents, queueReportedEvent } from './comment-events.js';
import { loadWorkerConfig } from './config.js';
import { createEventInterestCache } from './event-interest.js';
import { createNotificationWorkers } from './notification-workers.js';
import { type EditProcessorDeps, processCommentEdit } from './processors/comment-edit.js';
import { createSiteContextCache } from './site-context.js';
import { createThreadCache } from './thread-cache.js';
import { createCommentWorker } from './worker.js';

// Composition root: the only file that reads the process environment.
const config = loadWorkerConfig(process.env);
// On a Redis Cluster every queue carries a hash tag; the comment queue is split into QUEUE_SHARDS queues.
const { logger, db, layout, ...service } = bootService({
  service: 'worker',
  config,
  databasePoolSize: config.DATABASE_POOL_SIZE,
});
const connection = service.workerConnection('comment queues');
const publisher = service.producerConnection('publisher');
const subscriber = service.workerConnection('change events');

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
// The queues share `publisher`, whose own error handler reports an outage once; each queue's echo of it only at debug.
for (const queue of [eventsQueue, webhooksQueue, emailsQueue])
  queue?.on('error', (error) => logger.debug({ err: error, queue: queue.name }, 'queue error'));
const notificationWorkers = createNotificationWorkers({
  db,
  logger,
  connection: service.workerConnection('notification queues'),
  prefix: layout.prefix,
  lockDurationMs: config.WORKER_LOCK_DURATION_MS,
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
    await publishChange(publisher, config.REDIS_PREFIX, {
      type: 'comments.written',
      comments: [{ siteId, threadKey, id: commentId, status }],
    }).catch((error) =>
      logger.warn({ err: error, commentId }, 'could not publish the edit; read caches expire on their TTL'),
    );
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
      const comments = written.map((w) => ({
        siteId: w.siteId,
        threadKey: w.threadKey,
        id: w.commentId,
        status: w.status,
      }));
      const published = publishChange(publisher, config.REDIS_PREFIX, { type: 'comments.written', comments }).catch(
        (error) =>
          logger.warn(
            { err: error, comments: comments.length },
            'could not publish the change event; read caches expire on their TTL',
          ),
      );
      // Not best effort: if the events cannot be queued the batch's jobs fail and are retried, and the
      // retries (which find their rows stored) queue them through onCommentsReplayed.
      await queueCommentsWrittenEvents(eventProducer, written).catch((error) => {
        logger.warn(
          { err: error, comments: written.length },
          'could not queue comment events; the jobs will be retried',
        );
        throw error;
      });
      await published;
    },
    // Retried jobs whose comments are stored already: queue their events again (same ids, so never twice).
    onCommentsReplayed: (replayed) => queueCommentsWrittenEvents(eventProducer, replayed),
    onReported: (report) =>
      queueReportedEvent({ eventsQueue }, report).catch((error) =>
        logger.warn({ err: error, commentId: report.commentId }, 'could not queue report event'),
      ),
  }),
);

const lifecycle = service.gracefulShutdown('jobs in progress', async () => {
  // worker.close() stops taking jobs and waits for the ones in progress.
  await Promise.all([...workers.map((worker) => worker.close()), notificationWorkers.close()]);
  await Promise.allSettled([eventsQueue.close(), webhooksQueue.close(), emailsQueue?.close()]);
  await Promise.allSettled([closeServer(server), connection.quit(), publisher.quit(), subscriber.quit(), db.destroy()]);
});
const ops = new Hono();
ops.route(
  '/',
  opsRoutes({
    registry,
    isShuttingDown: lifecycle.isShuttingDown,
    checks: service.readiness(connection),
  }),
);
const { server, port } = await startServer(ops, config.WORKER_PORT);
logger.info({ port, concurrency: config.WORKER_CONCURRENCY, shards: workers.length }, 'worker running');

service.onSignals(lifecycle.shutdown);
