import { bootService } from '@stammtisch/boot';
import { createDatabase, createSiteCache } from '@stammtisch/db';
import { closeServer, createMetricsRegistry, startServer } from '@stammtisch/http';
import { createMailer } from '@stammtisch/mail';
import {
  EMAILS_QUEUE,
  EVENTS_QUEUE,
  WEBHOOKS_QUEUE,
  changedThreads,
  publishChange,
  shardOf,
  subscribeToChanges,
} from '@stammtisch/queue';
import { Queue } from 'bullmq';
import { createApp } from './app.js';
import { queueDecisionEvents } from './webhooks/comment-events.js';
import { loadApiConfig } from './config.js';
import { createModerationFeed } from './moderation/live.js';
import { createThreadHub } from './reads/thread-hub.js';
import { createReadCache } from './reads/read-cache.js';

// Composition root: the only file that reads the process environment.
const config = loadApiConfig(process.env);
const { logger, db, layout, ...service } = bootService({
  service: 'api',
  config,
  databasePoolSize: config.DATABASE_POOL_SIZE,
});
if (!config.ADMIN_KEY) logger.warn('ADMIN_KEY is not set: only site keys can use the admin and moderation API');
// Reads may go to a replica; writes, and reads right after a change event, use the primary.
const readDb = config.DATABASE_READ_URL
  ? createDatabase({
      url: config.DATABASE_READ_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'stammtisch-api-read',
    })
  : db;
const redis = service.producerConnection('requests', { commandTimeout: 2000 });
// The queues share that connection, so their errors repeat what it logged at warn: debug keeps them findable, not doubled.
const onQueueError = (error: Error) => logger.debug({ err: error }, 'queue error');
// Every comment queue shard: a site's not-yet-written comment is looked up in its shard; counts sum them all.
const commentQueues = layout.commentQueues.map(({ name, prefix }) => new Queue(name, { connection: redis, prefix }));
for (const q of commentQueues) q.on('error', onQueueError);
const queue = commentQueues[0]!;
// Comment events for webhooks and mails; the worker fans them out.
const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: layout.prefix });
eventsQueue.on('error', onQueueError);
// Shown on the Bull Board (/admin/queues) only: the worker consumes them; operators retry failed deliveries there.
const boardOnlyQueues = [WEBHOOKS_QUEUE, EMAILS_QUEUE].map(
  (name) => new Queue(name, { connection: redis, prefix: layout.prefix }),
);
for (const q of boardOnlyQueues) q.on('error', onQueueError);
const siteCache = createSiteCache(db, { logger });
const readCache = createReadCache();
const moderationFeed = createModerationFeed({ db, logger });
// Live thread streams: this process's one Redis subscription (below) feeds every stream it holds. They read the
// primary: the event announces a write the replica may not have yet.
const threadHub = createThreadHub({
  db,
  siteCache,
  logger,
  ipHashSecret: config.IP_HASH_SECRET,
  publicApiUrl: config.PUBLIC_API_URL,
});
const subscriber = service.workerConnection('change events');
subscriber.on('ready', () => {
  // Events may have been missed while disconnected: start clean.
  readCache.clear();
  siteCache.clear();
});
// With a replica, a read right after the event may still see the old rows (replication lag): drop the
// thread's cache once more a moment later, so a stale page lives about a second, not the cache TTL.
const REPLICA_LAG_GRACE_MS = 1000;
const afterReplicaLag = (drop: () => void) => {
  if (readDb !== db) setTimeout(drop, REPLICA_LAG_GRACE_MS).unref();
};
await subscribeToChanges(subscriber, config.REDIS_PREFIX, (event) => {
  moderationFeed.handle(event);
  if (event.type === 'thread.changed' || event.type === 'comments.written') {
    for (const { siteId, threadKey } of changedThreads(event)) {
      readCache.invalidateThread(siteId, threadKey);
      afterReplicaLag(() => readCache.invalidateThread(siteId, threadKey));
    }
    if (event.type === 'comments.written') {
      threadHub
        .onCommentsWritten(event.comments)
        .catch((error) => logger.warn({ err: error }, 'could not send live thread events'));
    }
  } else if (event.type === 'site.changed') {
    siteCache.invalidateSite(event.siteId);
    readCache.invalidateSite(event.siteId);
  }
}).catch((error) => logger.warn({ err: error }, 'could not subscribe to change events yet'));

// Email verification links go out through the same SMTP settings as the worker's mails.
const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
if (!mailer) logger.info('SMTP_URL is not set: email verification for commenters is off');

// A lost change event costs other processes a cache TTL of staleness, never the write itself: log it and go on.
const publish = (event: Parameters<typeof publishChange>[2]) =>
  publishChange(redis, config.REDIS_PREFIX, event).catch((error) =>
    logger.warn({ err: error, event: event.type }, 'could not publish a change event'),
  );
const lifecycle = service.gracefulShutdown('in-flight requests', async () => {
  // Open event streams would keep the server from closing; browsers reconnect to another process.
  threadHub.close();
  await closeServer(server);
  await Promise.allSettled(commentQueues.map((q) => q.close()));
  await eventsQueue.close();
  await Promise.allSettled(boardOnlyQueues.map((q) => q.close()));
  mailer?.close();
  await Promise.allSettled([
    redis.quit(),
    subscriber.quit(),
    db.destroy(),
    readDb === db ? undefined : readDb.destroy(),
  ]);
});
const registry = createMetricsRegistry('api');
const app = createApp({
  db,
  threadHub,
  readDb,
  queue,
  commentQueues,
  commentQueueFor: (siteId) => commentQueues[shardOf(siteId, commentQueues.length)]!,
  siteCache,
  readCache,
  logger,
  registry,
  adminKey: config.ADMIN_KEY,
  ipHashSecret: config.IP_HASH_SECRET,
  publicIngestUrl: config.PUBLIC_INGEST_URL,
  publicApiUrl: config.PUBLIC_API_URL,
  isShuttingDown: lifecycle.isShuttingDown,
  readiness: service.readiness(redis),
  onSiteChanged: async (siteId) => {
    siteCache.invalidateSite(siteId);
    readCache.invalidateSite(siteId);
    await publish({ type: 'site.changed', siteId });
  },
  webhookAllowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  onDecided: async (results) => {
    // Live thread streams in every api process first: approvals (and un-approvals) reach open pages.
    if (results.length)
      await publish({
        type: 'comments.written',
        comments: results.map((r) => ({ siteId: r.siteId, threadKey: r.threadKey, id: r.id, status: r.to })),
      });
    // The decision is stored already; a lost event costs a webhook, not the decision.
    await queueDecisionEvents(eventsQueue, results).catch((error) =>
      logger.warn({ err: error }, 'could not queue comment events'),
    );
    for (const result of results) {
      readCache.invalidateThread(result.siteId, result.threadKey);
      await publish({ type: 'thread.changed', siteId: result.siteId, threadKey: result.threadKey });
      // Other moderators' pages (on any api process) drop what was decided here.
      await publish({
        type: 'comment.decided',
        siteId: result.siteId,
        threadKey: result.threadKey,
        id: result.id,
        status: result.to,
        by: result.by,
      });
    }
    for (const siteId of new Set(results.filter((r) => r.taught).map((r) => r.siteId)))
      await publish({ type: 'model.changed', siteId });
  },
  onThreadChanged: async (siteId, threadKey) => {
    readCache.invalidateThread(siteId, threadKey);
    await publish({ type: 'thread.changed', siteId, threadKey });
  },
  onCommentChanged: async (comment) => {
    readCache.invalidateThread(comment.siteId, comment.threadKey);
    // Counts as a thread change for every cache, and live streams redraw the comment.
    await publish({ type: 'comments.written', comments: [comment] });
  },
  trustProxy: config.TRUST_PROXY,
  identity: {
    redis,
    redisPrefix: config.REDIS_PREFIX,
    tokenSecret: config.COMMENTER_TOKEN_SECRET,
    secretKey: config.IDENTITY_SECRET_KEY,
    sendMail: mailer ? (mail) => mailer.send(mail) : undefined,
  },
  boardQueues: [...commentQueues, eventsQueue, ...boardOnlyQueues],
  moderationFeed,
});
const { server, port } = await startServer(app, config.API_PORT);
logger.info({ port }, 'api listening');

service.onSignals(lifecycle.shutdown);
