import { opsRoutes, openApiRouter } from '@stammtisch/http';
import type { FeatureDeps } from '../deps.js';
import { openApiRoutes } from './openapi-routes.js';
import { queuesBoardRoutes } from './queues-board-routes.js';

/**
 * For operators: health, readiness and metrics, the OpenAPI document and its
 * docs page, the Bull Board. `openApiDocument` gives the finished app's document.
 */
export function opsFeature(deps: FeatureDeps, openApiDocument: () => unknown) {
  const app = openApiRouter();
  app.route('/', opsRoutes({ registry: deps.registry, checks: deps.readiness, isShuttingDown: deps.isShuttingDown }));
  app.route('/', openApiRoutes({ ingestUrl: deps.publicIngestUrl, document: openApiDocument }));
  app.route(
    '/',
    queuesBoardRoutes({
      db: deps.db,
      adminKey: deps.adminKey,
      sessions: deps.sessions,
      queues: deps.boardQueues ?? [deps.queue],
    }),
  );
  return app;
}
