import {
  compression,
  createErrorHandler,
  httpMetrics,
  notFoundHandler,
  openApiRouter,
  requestId,
  securityHeaders,
} from '@stammtisch/http';
import { adminFeature } from './admin/feature.js';
import { type AuthEnv, requireKey } from './auth.js';
import type { ApiDeps, FeatureDeps } from './deps.js';
import { identityFeature } from './identity/feature.js';
import { moderationFeature } from './moderation/feature.js';
import { createSessions } from './moderation/session.js';
import { opsFeature } from './ops/feature.js';
import { buildOpenApiDocument } from './ops/openapi-spec.js';
import { portingFeature } from './porting/feature.js';
import { readsFeature } from './reads/feature.js';
import { webhooksFeature } from './webhooks/feature.js';
import { widgetFeature } from './widget/feature.js';

export type { ApiDeps } from './deps.js';

/**
 * The api HTTP app: mounts the features (each folder under src/ is one).
 * Their routes are declared for @hono/zod-openapi (`shared/routes.ts`), so `/openapi.json` is the document of this app.
 */
export function createApp(deps: ApiDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('*', requestId(), securityHeaders(), httpMetrics(deps.registry));
  // JSON and HTML over 1 KiB go out compressed (embed.js brings its own, compressed once).
  if (deps.compression !== false) app.use('*', compression());

  const sessions = createSessions({ secret: deps.sessionSecret ?? deps.ipHashSecret, trustProxy: deps.trustProxy });
  const features: FeatureDeps = {
    ...deps,
    sessions,
    onThreadChanged:
      deps.onThreadChanged ?? (async (siteId, threadKey) => deps.readCache.invalidateThread(siteId, threadKey)),
    onCommentChanged:
      deps.onCommentChanged ?? (async (comment) => deps.readCache.invalidateThread(comment.siteId, comment.threadKey)),
  };
  app.route(
    '/',
    opsFeature(features, () => buildOpenApiDocument(app, { ingestUrl: deps.publicIngestUrl })),
  );
  app.route('/', widgetFeature(features));
  app.route('/', readsFeature(features));
  // Everything under /v1/admin and /v1/moderation needs a key (or the moderation page's session cookie, CSRF token required for changes).
  const auth = requireKey({ db: deps.db, adminKey: deps.adminKey, keyFromRequest: sessions.keyFromRequest });
  app.use('/v1/admin/*', auth);
  app.use('/v1/moderation/*', auth);
  app.route('/', moderationFeature(features));
  app.route('/', adminFeature(features));
  app.route('/', portingFeature(features));
  app.route('/', webhooksFeature(features));
  app.route('/', identityFeature(features));

  app.notFound(notFoundHandler);
  app.onError(createErrorHandler(deps.logger));
  return app;
}
