import type { CommentJob } from '@stammtisch/contract';
import type { Ban, CommentStatus, NewComment, SpamReason } from '@stammtisch/db';
import { type Outcome, type Reason, classifyComment } from '@stammtisch/spam';
import type { AkismetClient } from '../akismet.js';
import type { CommentContext } from '../context.js';
import { consultOutsideCheck } from '../outside-check.js';
import { renderCommentHtml } from '../render.js';

/** The comment status each verdict of the spam checks stands for. */
export const STATUS_OF: Record<Outcome, CommentStatus> = { approve: 'approved', hold: 'pending', spam: 'spam' };

/**
 * The spam stage's verdict and the row to store, from the job and its context. Pure but for
 * the optional outside check (never throws, bounded by its timeout and circuit breaker).
 */
export async function decideComment(akismet: AkismetClient | undefined, job: CommentJob, context: CommentContext): Promise<NewComment> {
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
      extraReasons.push({ check: 'parent', weight: 0, detail: 'Reply to a comment that is not public in this thread; held as a top-level comment' });
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
  const ban = matchBan(bans, { email: job.author.email, body: job.body, ipHashes: [job.ipHash], identity: job.identity });
  if (ban) {
    status = 'spam';
    // A shadow ban is spam for everyone but its author: the api's status endpoint tells them "approved".
    reasons.unshift(
      ban.shadow
        ? { check: 'shadow_ban', weight: 10, detail: `Author is shadow-banned by ${ban.kind}: they see the comment as published, nobody else does` }
        : { check: 'ban', weight: 10, detail: `Author is banned by ${ban.kind}` },
    );
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
    authorIdentity: job.identity ? JSON.stringify({ provider: job.identity.provider, issuer: job.identity.issuer, subject: job.identity.subject }) : null,
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

/** Who wrote what, as the site's bans see it: the address, every IP hash the text came from, the sign-in. */
export interface BanSubject {
  email: string | null | undefined;
  body: string;
  ipHashes: Array<string | null | undefined>;
  identity?: { issuer: string; subject: string } | null;
}

/** The first of the site's bans that the writer or the text falls under (email, IP hash, word, identity). */
export function matchBan(bans: Ban[], subject: BanSubject): Ban | undefined {
  const email = subject.email?.toLowerCase();
  const text = subject.body.toLowerCase();
  const identity = subject.identity ? `${subject.identity.issuer}|${subject.identity.subject}` : null;
  return bans.find(
    (ban) =>
      (ban.kind === 'email' && email === ban.value.toLowerCase()) ||
      (ban.kind === 'ip' && subject.ipHashes.includes(ban.value)) ||
      (ban.kind === 'word' && text.includes(ban.value.toLowerCase())) ||
      (ban.kind === 'identity' && identity === ban.value),
  );
}
