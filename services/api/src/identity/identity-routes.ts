import { openApiRouter } from '@stammtisch/http';
import type { AuthEnv } from '../auth.js';
import { emailVerificationRoutes } from './email-verification-routes.js';
import type { IdentityRoutesDeps } from './identity-deps.js';
import { providerAdminRoutes } from './provider-admin-routes.js';
import { signInRoutes } from './sign-in-routes.js';

export type { IdentityRoutesDeps, MailToSend } from './identity-deps.js';

/**
 * Commenter identity: owners configure OpenID Connect / OAuth 2.0 providers,
 * readers sign in and get a short-lived commenter token bound to the site,
 * or prove an email address with a one-time link. Moderators' identity bans
 * are mirrored into Redis for ingest (`identity-bans.ts`).
 */
export function identityRoutes(deps: IdentityRoutesDeps) {
  const app = openApiRouter<AuthEnv>();
  app.route('/', providerAdminRoutes(deps));
  app.route('/', signInRoutes(deps));
  app.route('/', emailVerificationRoutes(deps));
  return app;
}
