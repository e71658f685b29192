import { openApiRouter } from '@stammtisch/http';
import type { AuthEnv } from '../auth.js';
import type { FeatureDeps } from '../deps.js';
import { privacyRoutes } from './privacy-routes.js';
import { adminRoutes } from './site-routes.js';

/** Site owners and the admin: sites, keys, stats, and a commenter's data (export and erasure). Behind the key check. */
export function adminFeature(deps: FeatureDeps) {
  const app = openApiRouter<AuthEnv>();
  app.route(
    '/',
    adminRoutes({ db: deps.db, queue: deps.queue, queues: deps.commentQueues, onSiteChanged: deps.onSiteChanged }),
  );
  app.route('/', privacyRoutes({ db: deps.db, onSiteChanged: deps.onSiteChanged }));
  return app;
}
