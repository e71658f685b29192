import { openApiRouter } from '@stammtisch/http';
import type { FeatureDeps } from '../deps.js';
import { openStreamsGauge } from '../shared/open-streams-gauge.js';
import { avatarRoutes } from './avatar-routes.js';
import { emailRoutes } from './email-link-routes.js';
import { publicRoutes } from './public-routes.js';
import { threadEventRoutes } from './thread-event-routes.js';
import { threadFormatRoutes } from './thread-format-routes.js';
import { createThreadHub } from './thread-hub.js';

/** Public reads: threads (JSON, HTML, Atom), counts, one comment, live thread events, avatars and the mail links readers click. */
export function readsFeature(deps: FeatureDeps) {
  const app = openApiRouter();
  // Public reads and counts go to the replica; a comment's own status right after posting reads the primary.
  const publicDeps = {
    db: deps.readDb ?? deps.db,
    primaryDb: deps.db,
    siteCache: deps.siteCache,
    readCache: deps.readCache,
    queue: deps.queue,
    queueFor: deps.commentQueueFor,
    ipHashSecret: deps.ipHashSecret,
    publicApiUrl: deps.publicApiUrl,
  };
  app.route('/', publicRoutes(publicDeps));
  const hub =
    deps.threadHub ??
    createThreadHub({
      db: deps.db,
      siteCache: deps.siteCache,
      logger: deps.logger,
      ipHashSecret: deps.ipHashSecret,
      publicApiUrl: deps.publicApiUrl,
    });
  openStreamsGauge(
    deps.registry,
    { name: 'thread_event_streams', help: 'Live thread streams (SSE) open in this process' },
    hub,
  );
  app.route('/', threadEventRoutes({ hub, siteCache: deps.siteCache }));
  app.route('/', avatarRoutes());
  app.route('/', threadFormatRoutes(publicDeps));
  app.route('/', emailRoutes({ db: deps.db }));
  return app;
}
