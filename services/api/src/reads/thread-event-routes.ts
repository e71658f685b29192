import type { SiteCache } from '@stammtisch/db';
import { TAGS } from '@stammtisch/contract/http';
import { AppError, openApiRouter } from '@stammtisch/http';
import { streamSSE } from 'hono/streaming';
import { routes } from '../shared/routes.js';
import { ThreadParams } from './public-routes.js';
import type { ThreadEvent, ThreadHub } from './thread-hub.js';

export interface ThreadEventRoutesDeps {
  hub: ThreadHub;
  siteCache: SiteCache;
}

const threadEventsRoute = routes(TAGS.reads).get(
  '/v1/sites/{siteId}/threads/{threadKey}/events',
  'The thread live, as Server-Sent Events',
  {
    description:
      '`event: comment` with a comment as in the thread read (new approvals, edits; `deleted: true` when its writer took it back), `event: count` with `{"count": n}`. Every event has an `id`; reconnecting with `Last-Event-ID` first sends what was missed (up to 10 minutes, 200 comments).',
    params: ThreadParams,
    answers: { 200: 'An event stream', 400: 'invalid_request (threadKey over 512 characters)', 404: 'site_not_found' },
    produces: ['text/event-stream'],
  },
);

/**
 * `GET /v1/sites/{siteId}/threads/{threadKey}/events`: the live thread as
 * Server-Sent Events (`comment`, `count`). A reconnecting browser sends
 * `Last-Event-ID` and first gets what it missed.
 */
export function threadEventRoutes(deps: ThreadEventRoutesDeps) {
  const app = openApiRouter();

  app.openapi(threadEventsRoute, async (c) => {
    const { siteId, threadKey } = c.req.valid('param');
    if (threadKey.length > 512)
      throw new AppError('invalid_request', 'threadKey: at most 512 characters', [
        { path: 'threadKey', message: 'at most 512 characters' },
      ]);
    if (!(await deps.siteCache.getSite(siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    c.header('Access-Control-Allow-Origin', '*');
    // Proxies (nginx) must pass events through at once instead of buffering them.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let open = true;
      let chain: Promise<unknown> = Promise.resolve();
      // Writes are queued so events keep their order even when the socket is slow.
      const write = (events: ThreadEvent[]) => {
        chain = chain
          .then(async () => {
            for (const e of events) if (open) await stream.writeSSE(e);
          })
          .catch(() => {
            open = false;
          });
      };
      let unsubscribe = () => {};
      const ended = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        unsubscribe = deps.hub.subscribe(siteId, threadKey, {
          send: write,
          ping: () => {
            chain = chain
              .then(async () => {
                if (open) await stream.write(': ping\n\n');
              })
              .catch(() => {
                open = false;
              });
          },
          close: resolve,
        });
      });
      // Ask browsers to come back soon after a drop; the first line also flushes the headers.
      await stream.write('retry: 2000\n\n');
      if (lastEventId) write(await deps.hub.replay(siteId, threadKey, lastEventId));
      await ended;
      open = false;
      unsubscribe();
    });
  });

  return app;
}
