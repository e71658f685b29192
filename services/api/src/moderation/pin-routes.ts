import { type DB, findComment, setCommentPinned } from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import { KEY_AUTH, declareRoute, errorResponses } from '@stammtisch/contract/http';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';
import type { ChangedComment } from '../deps.js';

export interface PinRoutesDeps {
  db: DB;
  /** Drops the thread's cached reads in every process and redraws the comment in open pages. */
  onCommentChanged: (comment: ChangedComment) => Promise<void>;
}

const PinParams = z.object({ id: z.string().uuid('must be a comment id') });

/** Pin and unpin are one declaration but for the method, the summary and the `pinned` they answer. */
function declarePin(method: 'post' | 'delete', summary: string, pinned: boolean) {
  return declareRoute({
    method,
    path: '/v1/moderation/comments/{id}/pin',
    tags: ['Moderation'],
    summary,
    security: KEY_AUTH,
    request: { params: PinParams },
    responses: {
      200: { description: `\`{"id", "pinned": ${pinned}}\`` },
      ...errorResponses({ 404: 'comment_not_found' }),
    },
  });
}

const pinRoute = declarePin('post', 'Pin a comment: it comes first in its thread', true);
const unpinRoute = declarePin('delete', 'Unpin a comment', false);

/** `POST|DELETE /v1/moderation/comments/{id}/pin`: a moderator of the site pins a comment to the top of its thread (or unpins it). */
export function pinRoutes(deps: PinRoutesDeps) {
  const app = openApiRouter<AuthEnv>();

  for (const [route, pinned] of [
    [pinRoute, true],
    [unpinRoute, false],
  ] as const) {
    app.openapi(route, async (c) => {
      const { id } = c.req.valid('param');
      const comment = await findComment(deps.db, id);
      if (!comment) throw new AppError('comment_not_found', 'no such comment');
      assertSiteAccess(c.get('principal'), comment.siteId, ['admin', 'owner', 'moderator'], 'comment_not_found');
      const result = await setCommentPinned(deps.db, id, pinned);
      if (!result) throw new AppError('comment_not_found', 'no such comment');
      await deps.onCommentChanged({ ...result, id });
      return c.json({ id, pinned });
    });
  }

  return app;
}
