import { AppError, type Logger, checkRateLimit, clientIp, hashIp, jsonBody, openApiRouter } from '@stammtisch/http';
import { editTokenFor, identityBanKey, identityBanValue, verifyCommenterToken } from '@stammtisch/comments';
import {
  type CommentJob,
  IDEMPOTENCY_KEY_MAX,
  type ReportJob,
  enqueueComment,
  enqueueReport,
} from '@stammtisch/contract';
import { postCommentRoute, reportRoute } from '@stammtisch/contract/http';
import type { BatchingProducer } from '@stammtisch/queue';
import type { Site } from '@stammtisch/db';
import type { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';

import { applySiteCors, preflightHeaders } from '../cors.js';
import { admitComment } from '../admission.js';
import { markIdempotencyKeyQueued, releaseIdempotencyKey } from '../idempotency.js';
import type { SiteCache } from '@stammtisch/db';

export interface CommentRoutesDeps {
  redis: Redis;
  producer: BatchingProducer;
  siteCache: SiteCache;
  logger: Logger;
  keyPrefix: string;
  rateLimitPerMinute: number;
  siteRateLimitPerMinute?: number;
  trustProxy: boolean;
  ipHashSecret: string;
  /** COMMENTER_TOKEN_SECRET, shared with the api that signs the tokens; without it every commenter token is refused. */
  commenterTokenSecret?: string;
  /** Whether the comment is stored on the site (Postgres primary); a report of an unknown one is 404, not queued. */
  commentExists?: (siteId: string, commentId: string) => Promise<boolean>;
}

const TOKEN_PROBLEMS = {
  malformed: 'the commenter token is not a token',
  signature: 'the commenter token is forged or was signed with another key',
  expired: 'the commenter token has expired; sign in again',
  site: 'the commenter token is for another site',
} as const;

export function commentRoutes(deps: CommentRoutesDeps) {
  const app = openApiRouter<{ Variables: { site: Site } }>();

  // Site and origin come first: an unknown site is 404 and a foreign origin
  // 403 whatever the body holds. 503 when Postgres is away and the site was never cached.
  app.use('/v1/sites/:siteId/*', async function loadSite(c, next) {
    const siteId = c.req.param('siteId');
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    applySiteCors(c, site);
    c.set('site', site);
    await next();
  });

  app.options('/v1/sites/:siteId/comments', (c) => {
    preflightHeaders(c);
    return c.body(null, 204);
  });
  app.options('/v1/sites/:siteId/comments/:id/reports', (c) => {
    preflightHeaders(c);
    return c.body(null, 204);
  });

  app.openapi({ ...postCommentRoute, middleware: [jsonBody()] }, async (c) => {
    const { siteId } = c.req.valid('param');
    const site = c.get('site');
    const input = c.req.valid('json');

    const identity = await commenterIdentity(c.req.header('authorization'), siteId);
    // A signed-in reader is known by the account; the email requirement is for anonymous ones.
    if (site.settings.requireEmail && !input.author.email && !identity) {
      throw new AppError('invalid_request', 'author.email: is required on this site', [
        { path: 'author.email', message: 'is required on this site' },
      ]);
    }
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX)) {
      throw new AppError('invalid_request', `Idempotency-Key: must be 1–${IDEMPOTENCY_KEY_MAX} characters`, [
        { path: 'headers.idempotency-key', message: `must be 1–${IDEMPOTENCY_KEY_MAX} characters` },
      ]);
    }

    // One Redis round trip: Idempotency-Key, per-IP and site-wide rate limits (admission.ts).
    const ipHash = hashIp(clientIp(c, deps.trustProxy), deps.ipHashSecret);
    const admission = await admitComment(deps.redis, {
      prefix: deps.keyPrefix,
      siteId,
      ipHash,
      ipLimit: site.settings.rateLimitPerMinute ?? deps.rateLimitPerMinute,
      // A flood spread over many addresses still meets the site-wide cap.
      siteLimit: site.settings.siteRateLimitPerMinute ?? deps.siteRateLimitPerMinute ?? 0,
      idempotencyKey,
      newId: uuidv7(),
    });
    // A retry of a request that was queued: the first answer again, nothing new queued.
    if (admission.kind === 'replay')
      return c.json(
        { id: admission.id, status: 'pending', editToken: editTokenFor(admission.id, deps.ipHashSecret) },
        202,
      );
    if (admission.kind === 'rate_limited') {
      const message =
        admission.scope === 'ip'
          ? `too many comments; try again in ${admission.retryAfter} s`
          : `this site takes no more comments this minute; try again in ${admission.retryAfter} s`;
      throw new AppError('rate_limited', message, undefined, admission.retryAfter);
    }
    const { id } = admission;
    const redisIdempotencyKey = admission.idempotencyKey;

    try {
      if (!(await deps.siteCache.isThreadOpen(site, input.thread.key))) {
        throw new AppError('thread_closed', 'this thread is closed for new comments');
      }

      // The comment keeps the request's shape; the job adds what only ingest knows.
      const { hp, ...comment } = input;
      const job: CommentJob = {
        ...comment,
        id,
        siteId,
        honeypot: hp || null,
        notify: Boolean(input.notify && input.author.email),
        receivedAt: Date.now(),
        ipHash,
        userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        identity,
      };
      // The 202 below is a promise: it is sent only once the job is in Redis.
      await enqueueComment(deps.producer, job);
    } catch (error) {
      // Left claimed, the key expires in a day; a retry meanwhile goes on with the same id.
      if (redisIdempotencyKey)
        await releaseIdempotencyKey(deps.redis, redisIdempotencyKey).catch((releaseError) =>
          deps.logger.warn({ err: releaseError }, 'could not release the Idempotency-Key of a failed enqueue'),
        );
      throw error;
    }
    // Not awaited: until it lands, a retry re-adds the same job id, which BullMQ ignores.
    if (redisIdempotencyKey)
      void markIdempotencyKeyQueued(deps.redis, redisIdempotencyKey, id).catch((error) =>
        deps.logger.warn(
          { err: error, id },
          'could not mark the Idempotency-Key queued; a retry re-adds the same job id',
        ),
      );
    // The writer's key to edit or delete it (routes/reader-actions.ts): derived from the id, nothing stored.
    return c.json({ id, status: 'pending', editToken: editTokenFor(id, deps.ipHashSecret) }, 202);
  });

  /**
   * The signed-in author, from `Authorization: Bearer <commenter token>`:
   * checked by signature alone (no database), then against the site's
   * identity bans, which the api mirrors into a Redis set.
   */
  async function commenterIdentity(header: string | undefined, siteId: string): Promise<CommentJob['identity']> {
    if (!header) return null;
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token || !deps.commenterTokenSecret) throw new AppError('invalid_token', TOKEN_PROBLEMS.malformed);
    const result = await verifyCommenterToken(token, deps.commenterTokenSecret, siteId);
    if (!result.ok) throw new AppError('invalid_token', TOKEN_PROBLEMS[result.problem]);
    const { claims } = result;
    if (
      await deps.redis.sismember(
        identityBanKey(deps.keyPrefix, siteId),
        identityBanValue({ issuer: claims.iss, subject: claims.sub }),
      )
    ) {
      throw new AppError('forbidden', 'this account is banned from commenting on this site');
    }
    return {
      provider: claims.provider,
      issuer: claims.iss,
      subject: claims.sub,
      name: claims.name,
      url: claims.url ?? null,
    };
  }

  app.openapi({ ...reportRoute, middleware: [jsonBody()] }, async (c) => {
    const { siteId, id: commentId } = c.req.valid('param');
    const input = c.req.valid('json');
    const ipHash = hashIp(clientIp(c, deps.trustProxy), deps.ipHashSecret);
    const retryAfter = await checkRateLimit(deps.redis, {
      key: `${deps.keyPrefix}:rl-report:${siteId}:${ipHash}`,
      limit: 30,
    });
    if (retryAfter !== null)
      throw new AppError('rate_limited', `too many reports; try again in ${retryAfter} s`, undefined, retryAfter);
    if (deps.commentExists && !(await deps.commentExists(siteId, commentId)))
      throw new AppError('comment_not_found', 'no such comment');
    const job: ReportJob = {
      id: uuidv7(),
      siteId,
      commentId,
      reason: input.reason,
      note: input.note ?? null,
      ipHash,
      receivedAt: Date.now(),
    };
    await enqueueReport(deps.producer, job);
    return c.json({ status: 'received' }, 202);
  });

  return app;
}
