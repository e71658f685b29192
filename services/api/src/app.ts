import type { DB, SiteCache } from '@stammtisch/db';
import {
  compression,
  createErrorHandler,
  httpMetrics,
  type Logger,
  notFoundHandler,
  opsRoutes,
  type ReadinessCheck,
  requestId,
  securityHeaders,
} from '@stammtisch/http';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Gauge, type Registry } from 'prom-client';
import { type AuthEnv, requireKey } from './auth.js';
import type { DecisionResult } from './moderation/decide.js';
import { type ModerationFeed, createModerationFeed } from './moderation/live.js';
import { moderationMetrics } from './moderation/metrics.js';
import { createSessions } from './moderation/session.js';
import { type ThreadHub, createThreadHub } from './live/thread-hub.js';
import type { ReadCache } from './read-cache.js';
import { avatarRoutes } from './routes/avatars.js';
import { pinRoutes } from './routes/pins.js';
import { threadEventRoutes } from './routes/thread-events.js';
import { adminRoutes } from './routes/admin.js';
import { emailRoutes } from './routes/email.js';
import { embedRoutes } from './routes/embed.js';
import { moderatePageRoutes } from './routes/moderate-page.js';
import { moderationRoutes } from './routes/moderation.js';
import { moderationEventRoutes } from './routes/moderation-events.js';
import { openApiRoutes } from './routes/openapi.js';
import { portingRoutes } from './routes/porting.js';
import { privacyRoutes } from './routes/privacy.js';
import { publicRoutes } from './routes/public.js';
import { threadFormatRoutes } from './routes/thread-formats.js';
import { queuesBoardRoutes } from './routes/queues-board.js';
import { webhookRoutes } from './routes/webhooks.js';
import { createConfigurationCache } from './identity/providers.js';
import { createSecretBox } from './identity/secret-box.js';
import { type MailToSend, identityRoutes, syncIdentityBans } from './routes/identity.js';
import type { Redis } from 'ioredis';

export interface ApiDeps {
  db: DB;
  /** Live thread streams; main.ts feeds it the change events. Made here when not given. */
  threadHub?: ThreadHub;
  /** The read path's database (a replica when DATABASE_READ_URL is set). */
  readDb?: DB;
  queue: Queue;
  /** Every comment queue shard (QUEUE_SHARDS); default [queue]. */
  commentQueues?: Queue[];
  /** The shard a site's comments are queued on; default queue. */
  commentQueueFor?: (siteId: string) => Queue;
  siteCache: SiteCache;
  readCache: ReadCache;
  logger: Logger;
  registry: Registry;
  readiness: ReadinessCheck[];
  adminKey?: string;
  ipHashSecret: string;
  publicIngestUrl?: string;
  publicApiUrl?: string;
  isShuttingDown?: () => boolean;
  /** Tell every process a site changed (caches). */
  onSiteChanged: (siteId: string) => Promise<void>;
  /** After moderator decisions: caches, model reload, webhooks. */
  onDecided: (results: DecisionResult[]) => Promise<void>;
  /** WEBHOOK_ALLOW_PRIVATE: accept webhook URLs on loopback and private addresses. */
  webhookAllowPrivate?: boolean;
  /** A moderator closed or opened a thread: tell every process (ingest refuses comments on closed threads). */
  onThreadChanged?: (siteId: string, threadKey: string) => Promise<void>;
  /** Seals the moderation page's session cookie; defaults to a key derived from ipHashSecret. */
  sessionSecret?: string;
  /** Honour X-Forwarded-Proto (Secure cookies behind a TLS proxy). */
  trustProxy?: boolean;
  /** Compress answers on the wire (default on; off only to measure what it costs). */
  compression?: boolean;
  /** Feeds the moderators' live streams; main.ts hands it every change event from Redis. */
  moderationFeed?: ModerationFeed;
  /** Queues shown on the Bull Board at /admin/queues (default: the comments queue). */
  boardQueues?: Queue[];
  /** Commenter sign-in and email verification (routes/identity.ts); off without it. */
  identity?: {
    redis: Redis;
    redisPrefix: string;
    /** COMMENTER_TOKEN_SECRET, shared with ingest. */
    tokenSecret: string;
    /** IDENTITY_SECRET_KEY: encrypts the providers' client secrets. */
    secretKey: string;
    sendMail?: (mail: MailToSend) => Promise<void>;
    tokenTtlSeconds?: number;
    emailLinkTtlMs?: number;
  };
}

/** The api HTTP app: public reads, the widget, moderation and administration. */
export function createApp(deps: ApiDeps) {
  const app = new Hono<AuthEnv>();
  app.use('*', requestId(), securityHeaders(), httpMetrics(deps.registry));
  // JSON and HTML over 1 KiB go out compressed (embed.js brings its own, compressed once).
  if (deps.compression !== false) app.use('*', compression());
  app.route('/', opsRoutes({ registry: deps.registry, checks: deps.readiness, isShuttingDown: deps.isShuttingDown }));
  app.route('/', embedRoutes({ ingestUrl: deps.publicIngestUrl }));
  app.route('/', openApiRoutes({ ingestUrl: deps.publicIngestUrl }));
  // Public reads and counts go to the replica; a comment's own status right after posting reads the primary.
  const publicDeps = {
    db: deps.readDb ?? deps.db,
    primaryDb: deps.db,
    siteCache: deps.siteCache,
    readCache: deps.readCache,
    queue: deps.queue,
    queueFor: deps.commentQueueFor,
    ipHashSecret: deps.ipHashSecret,
    publicApiUrl: deps.publicApiUrl,
  };
  app.route('/', publicRoutes(publicDeps));
  const hub =
    deps.threadHub ??
    createThreadHub({ db: deps.db, siteCache: deps.siteCache, logger: deps.logger, ipHashSecret: deps.ipHashSecret, publicApiUrl: deps.publicApiUrl });
  new Gauge({
    name: 'thread_event_streams',
    help: 'Live thread streams (SSE) open in this process',
    registers: [deps.registry],
    collect() {
      this.set(hub.size);
    },
  });
  app.route('/', threadEventRoutes({ hub, siteCache: deps.siteCache }));
  app.route('/', avatarRoutes());
  app.route('/', threadFormatRoutes({ ...publicDeps, publicApiUrl: deps.publicApiUrl }));

  const sessions = createSessions({ secret: deps.sessionSecret ?? deps.ipHashSecret, trustProxy: deps.trustProxy });
  // The moderation page calls the API with its session cookie (CSRF token required for changes).
  const auth = requireKey({ db: deps.db, adminKey: deps.adminKey, keyFromRequest: sessions.keyFromRequest });
  app.use('/v1/admin/*', auth);
  app.use('/v1/moderation/*', auth);
  app.route('/', moderationEventRoutes({ feed: deps.moderationFeed ?? createModerationFeed({ db: deps.db, logger: deps.logger }), registry: deps.registry }));
  app.route('/', moderatePageRoutes({ db: deps.db, adminKey: deps.adminKey, sessions }));
  app.route('/', queuesBoardRoutes({ db: deps.db, adminKey: deps.adminKey, sessions, queues: deps.boardQueues ?? [deps.queue] }));
  app.route('/', adminRoutes({ db: deps.db, queue: deps.queue, queues: deps.commentQueues, onSiteChanged: deps.onSiteChanged }));
  app.route('/', privacyRoutes({ db: deps.db, onSiteChanged: deps.onSiteChanged }));
  app.route('/', portingRoutes({ db: deps.db, onSiteChanged: deps.onSiteChanged }));
  app.route('/', webhookRoutes({ db: deps.db, allowPrivate: deps.webhookAllowPrivate ?? false, onSiteChanged: deps.onSiteChanged }));
  app.route('/', emailRoutes({ db: deps.db }));
  const identity = deps.identity;
  if (identity) {
    app.route(
      '/',
      identityRoutes({
        ...identity,
        db: deps.db,
        siteCache: deps.siteCache,
        secretBox: createSecretBox(identity.secretKey),
        configurations: createConfigurationCache(),
        publicApiUrl: deps.publicApiUrl,
        ipHashSecret: deps.ipHashSecret,
        trustProxy: deps.trustProxy,
        logger: deps.logger,
        onErased: deps.onSiteChanged,
      }),
    );
  }
  app.route(
    '/',
    pinRoutes({ db: deps.db, onThreadChanged: deps.onThreadChanged ?? (async (siteId, threadKey) => deps.readCache.invalidateThread(siteId, threadKey)) }),
  );
  app.route(
    '/',
    moderationRoutes({
      db: deps.db,
      ipHashSecret: deps.ipHashSecret,
      onDecided: deps.onDecided,
      onThreadChanged: deps.onThreadChanged ?? (async (siteId, threadKey) => deps.readCache.invalidateThread(siteId, threadKey)),
      recordDecisions: moderationMetrics(deps.registry, deps.db, deps.logger),
      onBansChanged: async (siteId) => {
        await deps.onSiteChanged(siteId);
        // Ingest refuses banned identities from this Redis set, without a database round trip.
        if (identity) await syncIdentityBans(deps.db, identity.redis, identity.redisPrefix, siteId);
      },
    }),
  );

  app.notFound(notFoundHandler);
  app.onError(createErrorHandler(deps.logger));
  return app;
}
