import { openApiRouter } from '@stammtisch/http';
import { declareUnserved } from '@stammtisch/contract/http';
import type { AuthEnv } from '../auth.js';
import type { FeatureDeps } from '../deps.js';
import { IDENTITY_ROUTES } from './identity-api.js';
import { identityRoutes } from './identity-routes.js';
import { createConfigurationCache } from './providers.js';
import { createSecretBox } from './secret-box.js';

/** Commenter sign-in (OpenID Connect / OAuth 2.0 providers), commenter tokens and email verification; off without `deps.identity`. */
export function identityFeature(deps: FeatureDeps) {
  const app = openApiRouter<AuthEnv>();
  const identity = deps.identity;
  if (!identity) {
    // Sign-in is off on this server, but the contract still has these routes: keep them in the reference.
    declareUnserved(app, IDENTITY_ROUTES);
    return app;
  }
  return app.route(
    '/',
    identityRoutes({
      ...identity,
      db: deps.db,
      siteCache: deps.siteCache,
      secretBox: createSecretBox(identity.secretKey),
      configurations: createConfigurationCache(),
      publicApiUrl: deps.publicApiUrl,
      ipHashSecret: deps.ipHashSecret,
      trustProxy: deps.trustProxy,
      logger: deps.logger,
      onErased: deps.onSiteChanged,
    }),
  );
}
