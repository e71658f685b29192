import { type Logger, openApiRouter } from '@stammtisch/http';
import type { Registry } from 'prom-client';
import { openStreamsGauge } from '../shared/open-streams-gauge.js';
import { streamSSE } from 'hono/streaming';
import type { AuthEnv } from '../auth.js';
import type { ModerationFeed } from './live.js';
import { eventsRoute } from './moderation-api.js';
import { siteScope } from './moderation-routes.js';

/** Comments (not events) keep proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/**
 * `GET /v1/moderation/events?site=ID`: the moderators' Server-Sent Events
 * (`held` with a queue item, `decided` with `{id, status, by}`), authorised
 * like the queue (mounted behind `requireKey`: a Bearer key or the page's
 * session cookie).
 */
export function moderationEventRoutes(deps: {
  feed: ModerationFeed;
  registry?: Registry;
  keepAliveMs?: number;
  logger?: Logger;
}) {
  const app = openApiRouter<AuthEnv>();
  if (deps.registry) {
    openStreamsGauge(
      deps.registry,
      { name: 'stammtisch_moderation_streams', help: "Moderators' live streams open in this process" },
      deps.feed,
    );
  }

  app.openapi(eventsRoute, (c) => {
    const siteId = siteScope(c.get('principal'), c.req.valid('query').site);
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      let writing: Promise<void> = Promise.resolve();
      const unsubscribe = deps.feed.subscribe(siteId, ({ event, data }) => {
        // Writes queue up behind each other so two events never interleave on the wire.
        writing = writing
          .then(() => stream.writeSSE({ event, data: JSON.stringify(data), id: String(++seq) }))
          // The moderator's page went away mid-write; the abort handler unsubscribes.
          .catch((error) => deps.logger?.debug({ err: error }, 'moderation stream: write failed'));
      });
      stream.onAbort(unsubscribe);
      try {
        await stream.write(': stream open\nretry: 2000\n\n');
        while (!stream.aborted && !stream.closed) {
          await stream.sleep(deps.keepAliveMs ?? KEEPALIVE_MS);
          writing = writing.then(() => stream.write(': keepalive\n\n')).then(() => {});
          await writing;
        }
      } finally {
        unsubscribe();
      }
    });
  });

  return app;
}
