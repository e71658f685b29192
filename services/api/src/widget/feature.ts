import { openApiRouter } from '@stammtisch/http';
import type { FeatureDeps } from '../deps.js';
import { embedRoutes } from './embed-routes.js';
import { moderatePageRoutes } from './moderate-page-routes.js';

/** What browsers load: the widget's script (`/embed.js`) and the moderation page (`/moderate`). */
export function widgetFeature(deps: FeatureDeps) {
  const app = openApiRouter();
  app.route('/', embedRoutes({ ingestUrl: deps.publicIngestUrl }));
  app.route('/', moderatePageRoutes({ db: deps.db, adminKey: deps.adminKey, sessions: deps.sessions }));
  return app;
}
