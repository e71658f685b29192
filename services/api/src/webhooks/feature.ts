import { openApiRouter } from '@stammtisch/http';
import type { AuthEnv } from '../auth.js';
import type { FeatureDeps } from '../deps.js';
import { webhookRoutes } from './webhook-routes.js';

/** A site's webhooks: create, change, rotate secrets, list deliveries. Behind the key check. */
export function webhooksFeature(deps: FeatureDeps) {
  return openApiRouter<AuthEnv>().route(
    '/',
    webhookRoutes({ db: deps.db, allowPrivate: deps.webhookAllowPrivate ?? false, onSiteChanged: deps.onSiteChanged }),
  );
}
