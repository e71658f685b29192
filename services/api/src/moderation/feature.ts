import { openApiRouter } from '@stammtisch/http';
import type { AuthEnv } from '../auth.js';
import type { FeatureDeps } from '../deps.js';
import { syncIdentityBans } from '../identity/identity-bans.js';
import { moderationEventRoutes } from './event-routes.js';
import { createModerationFeed } from './live.js';
import { moderationMetrics } from './metrics.js';
import { moderationRoutes } from './moderation-routes.js';
import { pinRoutes } from './pin-routes.js';

/** The moderators' API: the queue, decisions and undo, the live stream, pins, closed threads, bans and the audit log. Behind the key check. */
export function moderationFeature(deps: FeatureDeps) {
  const app = openApiRouter<AuthEnv>();
  const feed = deps.moderationFeed ?? createModerationFeed({ db: deps.db, logger: deps.logger });
  app.route('/', moderationEventRoutes({ feed, registry: deps.registry, logger: deps.logger }));
  app.route('/', pinRoutes({ db: deps.db, onCommentChanged: deps.onCommentChanged }));
  const identity = deps.identity;
  app.route(
    '/',
    moderationRoutes({
      db: deps.db,
      ipHashSecret: deps.ipHashSecret,
      onDecided: deps.onDecided,
      onThreadChanged: deps.onThreadChanged,
      recordDecisions: moderationMetrics(deps.registry, deps.db, deps.logger),
      onBansChanged: async (siteId) => {
        await deps.onSiteChanged(siteId);
        // Ingest refuses banned identities from this Redis set, without a database round trip.
        if (identity) await syncIdentityBans(deps.db, identity.redis, identity.redisPrefix, siteId);
      },
    }),
  );
  return app;
}
