import { type DB, findComment, setCommentPinned } from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import { TAGS } from '@stammtisch/contract/http';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';
import type { ChangedComment } from '../deps.js';
import { keyRoutes } from '../shared/routes.js';

export interface PinRoutesDeps {
  db: DB;
  /** Drops the thread's cached reads in every process and redraws the comment in open pages. */
  onCommentChanged: (comment: ChangedComment) => Promise<void>;
}

const moderation = keyRoutes(TAGS.moderation);
const PIN_PATH = '/v1/moderation/comments/{id}/pin';
const PinParams = z.object({ id: z.string().uuid('must be a comment id') });
/** Pin and unpin answer alike but for the `pinned` they report. */
const pinAnswers = (pinned: boolean) => ({ 200: `\`{"id", "pinned": ${pinned}}\``, 404: 'comment_not_found' });

const pinRoute = moderation.post(PIN_PATH, 'Pin a comment: it comes first in its thread', {
  params: PinParams,
  answers: pinAnswers(true),
});
const unpinRoute = moderation.delete(PIN_PATH, 'Unpin a comment', { params: PinParams, answers: pinAnswers(false) });

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
