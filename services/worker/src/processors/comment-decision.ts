import type { CommentJob } from '@stammtisch/contract';
import { banReason, findBan, renderCommentHtml } from '@stammtisch/comments';
import type { CommentStatus, NewComment, SpamReason } from '@stammtisch/db';
import { type Outcome, type Reason, classifyComment } from '@stammtisch/spam';
import type { AkismetClient } from '../akismet.js';
import type { CommentContext } from '../context.js';
import { consultOutsideCheck } from '../outside-check.js';

/** The comment status each verdict of the spam checks stands for. */
export const STATUS_OF: Record<Outcome, CommentStatus> = { approve: 'approved', hold: 'pending', spam: 'spam' };

/**
 * The spam stage's verdict and the row to store, from the job and its context. Pure but for
 * the optional outside check (never throws, bounded by its timeout and circuit breaker).
 */
export async function decideComment(
  akismet: AkismetClient | undefined,
  job: CommentJob,
  context: CommentContext,
): Promise<NewComment> {
  const { site, model, bans } = context.site;
  const extraReasons: Reason[] = [];
  let parentId: string | null = null;
  let rootId = job.id;
  let depth = 0;
  if (job.parentId) {
    const parent = context.parent;
    if (parent && parent.threadId === context.thread.id && parent.status === 'approved') {
      parentId = parent.id;
      rootId = parent.rootId;
      depth = parent.depth + 1;
    } else {
      // Keep what the reader wrote, as a top-level comment, and let a moderator look.
      extraReasons.push({
        check: 'parent',
        weight: 0,
        detail: 'Reply to a comment that is not public in this thread; held as a top-level comment',
      });
    }
  }
  // A signed-in author's name is theirs: the same name without the sign-in waits for a moderator.
  if (!job.identity && context.nameOwner)
    extraReasons.push({
      check: 'name',
      weight: 0,
      detail: `The name "${job.author.name}" belongs to an author who signs in with ${context.nameOwner}; this comment is not signed in`,
    });
  const localVerdict = classifyComment(
    {
      body: job.body,
      author: job.author,
      honeypot: job.honeypot,
      renderedAt: job.renderedAt,
      receivedAt: job.receivedAt,
      // An email proven by a one-time link counts as verified too.
      verified: Boolean(job.identity) || context.emailVerified,
    },
    { settings: site.settings, model, mode: site.moderation, context: context.live },
  );
  const verdict = await consultOutsideCheck(akismet, site, job, job.thread.url ?? null, localVerdict);

  let status = STATUS_OF[verdict.outcome];
  const reasons: SpamReason[] = [...verdict.reasons, ...extraReasons];
  const ban = findBan(bans, {
    email: job.author.email,
    body: job.body,
    ipHashes: [job.ipHash],
    identity: job.identity,
  });
  if (ban) {
    status = 'spam';
    reasons.unshift(banReason(ban));
  }
  if (extraReasons.length && status === 'approved') status = 'pending';

  return {
    id: job.id,
    siteId: site.id,
    threadId: context.thread.id,
    parentId,
    rootId,
    depth,
    authorName: job.identity?.name ?? job.author.name,
    authorEmail: job.author.email ?? null,
    authorUrl: job.identity?.url ?? job.author.url ?? null,
    authorIpHash: job.ipHash ?? null,
    authorIdentity: job.identity
      ? JSON.stringify({ provider: job.identity.provider, issuer: job.identity.issuer, subject: job.identity.subject })
      : null,
    body: job.body,
    bodyHash: context.bodyHash,
    html: renderCommentHtml(job.body),
    status,
    score: verdict.score,
    reasons,
    createdAt: new Date(job.receivedAt),
    decidedAt: new Date(),
  };
}
