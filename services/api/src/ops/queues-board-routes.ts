import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import type { DB } from '@stammtisch/db';
import { TAGS } from '@stammtisch/contract/http';
import { AppError, openApiRouter } from '@stammtisch/http';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { MiddlewareHandler } from 'hono';
import { authenticate, bearerKey } from '../auth.js';
import type { Sessions } from '../moderation/session.js';
import { keyRoutes } from '../shared/routes.js';

export const QUEUES_BOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators: see failed jobs and retry them. Only the admin
 * key gets in, as a bearer or through a moderation-page session signed in
 * with it. The board's own changes (retry, clean) come from its UI without
 * our CSRF token, so a cookie-authenticated change must at least come from
 * this origin (SameSite=Strict does the rest).
 */
export function queuesBoardRoutes(deps: { db: DB; adminKey?: string; sessions: Sessions; queues: Queue[] }) {
  const serverAdapter = new HonoAdapter(serveStatic);
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter });

  const app = openApiRouter();
  // The board is a third-party app with its own UI and JSON API under this path; the document lists its entry page.
  app.openAPIRegistry.registerPath(
    keyRoutes(TAGS.operations).get(
      QUEUES_BOARD_PATH,
      'The Bull Board: queued, failed and finished jobs, to retry or clean (admin key, or the moderation page signed in with it)',
      { answers: { 200: 'HTML', 401: 'unauthorized', 403: 'forbidden' }, produces: ['text/html'] },
    ),
  );
  const requireAdmin: MiddlewareHandler = async function requireAdmin(c, next) {
    const bearer = bearerKey(c.req.header('authorization'));
    const key = bearer ?? deps.sessions.read(c)?.key;
    const principal = await authenticate(deps.db, deps.adminKey, key);
    if (!principal)
      throw new AppError('unauthorized', 'the queue board needs the admin key (Bearer, or sign in at /moderate)');
    if (principal.role !== 'admin') throw new AppError('forbidden', 'only the admin key can see the queue board');
    if (!bearer && !['GET', 'HEAD'].includes(c.req.method)) {
      const origin = c.req.header('origin');
      if (!origin || origin !== new URL(c.req.url).origin)
        throw new AppError('forbidden', 'cross-origin change refused');
    }
    await next();
  };
  app.use(QUEUES_BOARD_PATH, requireAdmin);
  app.use(`${QUEUES_BOARD_PATH}/*`, requireAdmin);
  app.get(`${QUEUES_BOARD_PATH}/`, (c) => c.redirect(QUEUES_BOARD_PATH, 302));
  app.route(QUEUES_BOARD_PATH, serverAdapter.registerPlugin());
  return app;
}
