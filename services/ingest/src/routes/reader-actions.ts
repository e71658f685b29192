import { type DB, type Site, type SiteCache, castVote, findOwnComment, markCommentDeleted } from '@stammtisch/db';
import { AppError, type Logger, checkRateLimit, clientIp, hashIp, jsonBody, openApiRouter } from '@stammtisch/http';
import { isEditTokenFor, issueVoterToken, verifyCommenterToken, voterIdOf } from '@stammtisch/comments';
import { enqueueEdit } from '@stammtisch/contract';
import { deleteCommentRoute, editCommentRoute, voteRoute } from '@stammtisch/contract/http';
import { type BatchingProducer, publishChange } from '@stammtisch/queue';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import { applySiteCors } from '../cors.js';

export interface ReaderActionDeps {
  db: DB;
  logger: Logger;
  redis: Redis;
  producer: BatchingProducer;
  siteCache: SiteCache;
  keyPrefix: string;
  trustProxy: boolean;
  ipHashSecret: string;
  commenterTokenSecret?: string;
}

export const DEFAULT_EDIT_WINDOW_MINUTES = 15;
/** New voter tokens per client IP and minute, and votes per IP and minute: one address cannot stuff the ballot. */
const VOTER_TOKENS_PER_MINUTE = 10;
const VOTES_PER_MINUTE = 60;
const EDITS_PER_MINUTE = 20;

/**
 * What a reader does to a comment after writing it, on ingest: vote
 * (`POST …/votes`), and as its writer edit (`PATCH`) or delete (`DELETE`)
 * within the site's edit window. Kept apart from the comment hot path.
 */
export function readerActionRoutes(deps: ReaderActionDeps) {
  const app = openApiRouter();

  /** Change events are best effort: a missed one only means a read cache lives out its short TTL. */
  function logPublishFailure(error: unknown): void {
    deps.logger.warn({ err: error }, 'could not publish a change event; read caches expire on their TTL');
  }

  async function siteOf(c: Context): Promise<Site> {
    const siteId = c.req.param('siteId')!;
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    applySiteCors(c, site);
    c.header('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id, X-Voter-Token');
    return site;
  }

  for (const path of ['/v1/sites/:siteId/comments/:id', '/v1/sites/:siteId/comments/:id/votes']) {
    app.options(path, async (c) => {
      await siteOf(c);
      c.header('Access-Control-Allow-Methods', 'POST, PATCH, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Edit-Token, X-Voter-Token');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    });
  }

  /** The signed-in reader from `Authorization: Bearer <commenter token>`, or null when none is sent. */
  async function signedIn(c: Context, siteId: string): Promise<{ issuer: string; subject: string } | null> {
    const header = c.req.header('authorization');
    if (!header) return null;
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    const result =
      token && deps.commenterTokenSecret ? await verifyCommenterToken(token, deps.commenterTokenSecret, siteId) : null;
    if (!result?.ok)
      throw new AppError('invalid_token', 'the commenter token is forged, expired or for another site; sign in again');
    return { issuer: result.claims.iss, subject: result.claims.sub };
  }

  async function limit(c: Context, name: string, siteId: string, perMinute: number): Promise<string> {
    const ipHash = hashIp(clientIp(c, deps.trustProxy), deps.ipHashSecret);
    const retryAfter = await checkRateLimit(deps.redis, {
      key: `${deps.keyPrefix}:${name}:${siteId}:${ipHash}`,
      limit: perMinute,
    });
    if (retryAfter !== null)
      throw new AppError('rate_limited', `too many requests; try again in ${retryAfter} s`, undefined, retryAfter);
    return ipHash;
  }

  app.openapi({ ...voteRoute, middleware: [jsonBody()] }, async (c) => {
    const { siteId, id } = c.req.valid('param');
    const site = await siteOf(c);
    const mode = site.settings.votes ?? 'up';
    if (mode === 'off') throw new AppError('votes_disabled', 'this site has votes turned off');
    const { value } = c.req.valid('json');
    if (value === -1 && mode === 'up')
      throw new AppError('invalid_request', 'value: this site takes up-votes only', [
        { path: 'value', message: 'this site takes up-votes only (1 or 0)' },
      ]);
    await limit(c, 'rl-vote', siteId, VOTES_PER_MINUTE);
    // A signed-in reader votes as their account, whatever voter token the browser also holds.
    const identity = await signedIn(c, siteId);
    let voter: string;
    let voterToken: string | undefined;
    if (identity) voter = `id:${identity.issuer}|${identity.subject}`;
    else {
      const sent = c.req.header('x-voter-token');
      let id = sent ? voterIdOf(sent, deps.ipHashSecret) : null;
      if (!id) {
        // A new reader (or a token we never issued): hand out a token, a few per address and minute.
        await limit(c, 'rl-voter', siteId, VOTER_TOKENS_PER_MINUTE);
        voterToken = issueVoterToken(deps.ipHashSecret);
        id = voterIdOf(voterToken, deps.ipHashSecret)!;
        c.header('X-Voter-Token', voterToken);
      }
      voter = `vt:${id}`;
    }
    const result = await castVote(deps.db, { siteId, commentId: id, voter, value });
    if (!result) throw new AppError('comment_not_found', 'no such comment');
    // Counts as a thread change for every cache, and open pages redraw the comment with its new counts.
    await publishChange(deps.redis, deps.keyPrefix, {
      type: 'comments.written',
      comments: [{ siteId, threadKey: result.threadKey, id, status: 'approved' }],
    }).catch(logPublishFailure);
    return c.json({ up: result.up, down: result.down, ...(voterToken && { voterToken }) }, 200);
  });

  /** The writer's own comment inside the edit window, or the error the contract names. */
  async function ownComment(c: Context, site: Site, id: string) {
    const comment = await findOwnComment(deps.db, site.id, id);
    if (!comment || comment.deletedAt) throw new AppError('comment_not_found', 'no such comment');
    const editToken = c.req.header('x-edit-token');
    const identity = editToken ? null : await signedIn(c, site.id);
    const byToken = editToken !== undefined && isEditTokenFor(editToken, id, deps.ipHashSecret);
    const byIdentity =
      identity !== null &&
      comment.authorIdentity?.issuer === identity.issuer &&
      comment.authorIdentity.subject === identity.subject;
    if (!byToken && !byIdentity)
      throw new AppError('forbidden', 'only the writer of this comment can change it (X-Edit-Token or their sign-in)');
    const minutes = site.settings.editWindowMinutes ?? DEFAULT_EDIT_WINDOW_MINUTES;
    if (minutes <= 0 || Date.now() - comment.createdAt.getTime() > minutes * 60_000) {
      throw new AppError(
        'edit_window_closed',
        minutes <= 0
          ? 'this site does not let writers change comments'
          : `comments can be changed for ${minutes} minutes only`,
      );
    }
    return comment;
  }

  app.openapi({ ...editCommentRoute, middleware: [jsonBody()] }, async (c) => {
    const { siteId, id } = c.req.valid('param');
    const site = await siteOf(c);
    const ipHash = await limit(c, 'rl-edit', siteId, EDITS_PER_MINUTE);
    await ownComment(c, site, id);
    // The 202 is a promise, as for a new comment: the edit is in Redis before we answer.
    await enqueueEdit(deps.producer, {
      commentId: id,
      siteId,
      body: c.req.valid('json').body,
      editedAt: Date.now(),
      ipHash,
    });
    return c.json({ id, status: 'pending' }, 202);
  });

  app.openapi(deleteCommentRoute, async (c) => {
    const { siteId, id } = c.req.valid('param');
    const site = await siteOf(c);
    await limit(c, 'rl-edit', siteId, EDITS_PER_MINUTE);
    const comment = await ownComment(c, site, id);
    await markCommentDeleted(deps.db, id, new Date());
    // Caches drop the thread, and open pages take the comment out (or show it as deleted above its replies).
    await publishChange(deps.redis, deps.keyPrefix, {
      type: 'thread.changed',
      siteId,
      threadKey: comment.threadKey,
    }).catch(logPublishFailure);
    await publishChange(deps.redis, deps.keyPrefix, {
      type: 'comments.written',
      comments: [{ siteId, threadKey: comment.threadKey, id, status: comment.status }],
    }).catch(logPublishFailure);
    return c.body(null, 204);
  });

  return app;
}
