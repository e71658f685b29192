import {
  createErrorHandler,
  httpMetrics,
  notFoundHandler,
  opsRoutes,
  type ReadinessCheck,
  requestId,
  securityHeaders,
} from '@stammtisch/http';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { type CommentRoutesDeps, commentRoutes } from './routes/comments.js';
import { readerActionRoutes } from './routes/reader-actions.js';
import type { DB } from '@stammtisch/db';

export interface IngestDeps extends CommentRoutesDeps {
  /** Votes, and the writer's own edits and deletions (routes/reader-actions.ts); those routes are off without it. */
  db?: DB;
  registry: Registry;
  readiness: ReadinessCheck[];
  isShuttingDown?: () => boolean;
}

/** The ingest HTTP app: public writes only. Built from its dependencies so tests can build it against a test database. */
export function createApp(deps: IngestDeps) {
  const app = new Hono();
  app.use('*', requestId(), securityHeaders(), httpMetrics(deps.registry));
  app.route('/', opsRoutes({ registry: deps.registry, checks: deps.readiness, isShuttingDown: deps.isShuttingDown }));
  app.route('/', commentRoutes(deps));
  if (deps.db) app.route('/', readerActionRoutes({ ...deps, db: deps.db }));
  app.notFound(notFoundHandler);
  app.onError(createErrorHandler(deps.logger));
  return app;
}
