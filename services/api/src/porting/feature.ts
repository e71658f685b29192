import { openApiRouter } from '@stammtisch/http';
import type { AuthEnv } from '../auth.js';
import type { FeatureDeps } from '../deps.js';
import { portingRoutes } from './porting-routes.js';

/** Import (WordPress, Disqus, NDJSON) and export (NDJSON, WXR) of a site's comments. Behind the key check. */
export function portingFeature(deps: FeatureDeps) {
  return openApiRouter<AuthEnv>().route('/', portingRoutes({ db: deps.db, onSiteChanged: deps.onSiteChanged }));
}
