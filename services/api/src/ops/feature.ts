import { opsRoutes } from '@stammtisch/http';
import { Hono } from 'hono';
import type { FeatureDeps } from '../deps.js';
import { openApiRoutes } from './openapi-routes.js';
import { queuesBoardRoutes } from './queues-board-routes.js';

/** For operators: health, readiness and metrics, the OpenAPI document and its docs page, the Bull Board. */
export function opsFeature(deps: FeatureDeps) {
  const app = new Hono();
  app.route('/', opsRoutes({ registry: deps.registry, checks: deps.readiness, isShuttingDown: deps.isShuttingDown }));
  app.route('/', openApiRoutes({ ingestUrl: deps.publicIngestUrl }));
  app.route('/', queuesBoardRoutes({ db: deps.db, adminKey: deps.adminKey, sessions: deps.sessions, queues: deps.boardQueues ?? [deps.queue] }));
  return app;
}
