import type { CommentStatus, DB, SiteCache } from '@stammtisch/db';
import type { Logger, ReadinessCheck } from '@stammtisch/http';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { MailToSend } from './identity/identity-routes.js';
import type { DecisionResult } from './moderation/decide.js';
import type { ModerationFeed } from './moderation/live.js';
import type { Sessions } from './moderation/session.js';
import type { ReadCache } from './reads/read-cache.js';
import type { ThreadHub } from './reads/thread-hub.js';

/** What the api needs from outside (main.ts, the tests and the benchmark build it). */
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
  /** A comment changed in place (pinned, unpinned): caches drop its thread and open pages redraw it (main.ts publishes `comments.written`). */
  onCommentChanged?: (comment: ChangedComment) => Promise<void>;
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

/** What every feature gets: the api's dependencies plus what app.ts builds once and features share. */
export interface FeatureDeps extends ApiDeps {
  /** The moderation page's sessions: the page, the Bull Board and the API's key check read them. */
  sessions: Sessions;
  /** A thread was closed or opened: drop it from every cache. */
  onThreadChanged: (siteId: string, threadKey: string) => Promise<void>;
  onCommentChanged: (comment: ChangedComment) => Promise<void>;
}

/** A comment that changed in place, as a `comments.written` change event names it. */
export interface ChangedComment {
  siteId: string;
  threadKey: string;
  id: string;
  status: CommentStatus;
}
