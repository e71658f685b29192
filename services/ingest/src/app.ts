import { createErrorHandler, httpMetrics, type Logger, notFoundHandler, opsRoutes, type ReadinessCheck, requestId, securityHeaders } from '@stammtisch/http';
import type { BatchingProducer } from '@stammtisch/queue';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { commentRoutes } from './routes/comments.js';
import type { SiteCache } from '@stammtisch/db';

export interface IngestDeps {
  redis: Redis;
  producer: BatchingProducer;
  siteCache: SiteCache;
  logger: Logger;
  registry: Registry;
  readiness: ReadinessCheck[];
  keyPrefix: string;
  rateLimitPerMinute: number;
  /** Site-wide cap per minute (all clients together); a site's settings may override it. */
  siteRateLimitPerMinute?: number;
  trustProxy: boolean;
  ipHashSecret: string;
  /** COMMENTER_TOKEN_SECRET: verifies signed-in commenters' tokens. */
  commenterTokenSecret?: string;
  /** Reports of unknown comments are refused with 404 (routes/comments.ts). */
  commentExists?: (siteId: string, commentId: string) => Promise<boolean>;
  isShuttingDown?: () => boolean;
}

/** The ingest HTTP app: public writes only. Built from its dependencies so tests can build it against a test database. */
export function createApp(deps: IngestDeps) {
  const app = new Hono();
  app.use('*', requestId(), securityHeaders(), httpMetrics(deps.registry));
  app.route('/', opsRoutes({ registry: deps.registry, checks: deps.readiness, isShuttingDown: deps.isShuttingDown }));
  app.route('/', commentRoutes(deps));
  app.notFound(notFoundHandler);
  app.onError(createErrorHandler(deps.logger));
  return app;
}
