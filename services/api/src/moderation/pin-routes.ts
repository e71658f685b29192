import { type DB, findComment, setCommentPinned } from '@stammtisch/db';
import { AppError, validate } from '@stammtisch/http';
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';

export interface PinRoutesDeps {
  db: DB;
  /** Drops the thread's cached reads in every process. */
  onThreadChanged: (siteId: string, threadKey: string) => Promise<void>;
}

const PinParams = z.object({ id: z.string().uuid('must be a comment id') });

/** `POST|DELETE /v1/moderation/comments/{id}/pin`: a moderator of the site pins a comment to the top of its thread (or unpins it). */
export function pinRoutes(deps: PinRoutesDeps) {
  const app = new Hono<AuthEnv>();

  for (const method of ['post', 'delete'] as const) {
    app[method]('/v1/moderation/comments/:id/pin', validate('param', PinParams), async (c) => {
      const { id } = c.req.valid('param');
      const comment = await findComment(deps.db, id);
      if (!comment) throw new AppError('comment_not_found', 'no such comment');
      assertSiteAccess(c.get('principal'), comment.siteId, ['admin', 'owner', 'moderator'], 'comment_not_found');
      const pinned = method === 'post';
      const result = await setCommentPinned(deps.db, id, pinned);
      if (!result) throw new AppError('comment_not_found', 'no such comment');
      await deps.onThreadChanged(result.siteId, result.threadKey);
      return c.json({ id, pinned });
    });
  }

  return app;
}
