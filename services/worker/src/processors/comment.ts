import { createHash } from 'node:crypto';
import {
  type Ban,
  type CommentStatus,
  type DB,
  type SpamReason,
  findComment,
  findOrCreateThread,
  identityHistory,
  identityUsingName,
  insertComment,
  isEmailVerified,
  loadSpamContext,
} from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/queue';
import { type Outcome, type Reason, classifyComment, normalizeBody } from '@stammtisch/spam';
import type { AkismetClient } from '../akismet.js';
import { loadCampaignMatches } from '../campaign-context.js';
import { consultOutsideCheck } from '../outside-check.js';
import { renderCommentHtml } from '../render.js';
import type { SiteContextCache } from '../site-context.js';

export interface CommentProcessorDeps {
  db: DB;
  siteContexts: SiteContextCache;
  logger: Logger;
  /** Called after a new comment row is written (cache invalidation, webhooks). */
  onCommentWritten: (event: {
    siteId: string;
    threadKey: string;
    commentId: string;
    status: CommentStatus;
    notify?: boolean;
    isReply?: boolean;
  }) => Promise<void>;
  /**
   * Called when a job finds its comment already stored: an earlier run wrote the row but may have
   * died (or failed to queue the comment's events) before onCommentWritten finished. Whatever it
   * queues must be idempotent (event ids derived from the comment id), so nothing goes out twice.
   */
  onCommentReplayed?: (event: {
    siteId: string;
    threadKey: string;
    commentId: string;
    status: CommentStatus;
    notify?: boolean;
    isReply?: boolean;
  }) => Promise<void>;
  /** Called after a reader's report is recorded (webhooks). */
  onReported?: (event: { siteId: string; commentId: string; reportId: string }) => Promise<void>;
  /** Shared multi-row inserts across concurrent jobs (comment-writer.ts); without it each job inserts alone. */
  writeComment?: (comment: Parameters<typeof insertComment>[1]) => Promise<boolean>;
  /** The Akismet-compatible outside check for sites that set a key (akismet.ts); without it nobody is asked. */
  akismet?: AkismetClient;
  /** Cached thread lookups (thread-cache.ts); without it each job looks its thread up. */
  findThread?: (input: Parameters<typeof findOrCreateThread>[1]) => ReturnType<typeof findOrCreateThread>;
}

const STATUS_OF: Record<Outcome, CommentStatus> = { approve: 'approved', hold: 'pending', spam: 'spam' };

/**
 * Decides and stores one accepted comment. Safe to run twice for the same
 * job: the row is keyed by the job's id and written with ON CONFLICT DO NOTHING.
 */
export async function processComment(deps: CommentProcessorDeps, job: CommentJob): Promise<{ status: CommentStatus; written: boolean } | null> {
  const { db, logger } = deps;
  // No look-up first: the insert below is keyed by the job's id, so a repeated job finds out there,
  // and the common first run saves a round trip.
  const context = await deps.siteContexts.get(job.siteId);
  if (!context) {
    // The site was deleted after ingest accepted the comment: there is nowhere to keep it.
    logger.warn({ commentId: job.id, siteId: job.siteId }, 'site no longer exists; comment dropped');
    return null;
  }
  const { site } = context;
  const thread = await (deps.findThread ?? ((input) => findOrCreateThread(db, input)))({
    siteId: site.id,
    key: job.thread.key,
    url: job.thread.url,
    title: job.thread.title,
  });

  const extraReasons: Reason[] = [];
  let parentId: string | null = null;
  let rootId = job.id;
  let depth = 0;
  if (job.parentId) {
    const parent = await findComment(db, job.parentId);
    if (parent && parent.threadId === thread.id && parent.status === 'approved') {
      parentId = parent.id;
      rootId = parent.rootId;
      depth = parent.depth + 1;
    } else {
      // Keep what the reader wrote, as a top-level comment, and let a moderator look.
      extraReasons.push({ check: 'parent', weight: 0, detail: 'Reply to a comment that is not public in this thread; held as a top-level comment' });
    }
  }

  const bodyHash = createHash('sha256').update(normalizeBody(job.body)).digest('base64url');
  const receivedAt = new Date(job.receivedAt);
  // The look-ups are independent: one round trip's wait instead of three.
  const email = job.author.email ?? null;
  const [live, identityRecord, emailVerified, nameOwner, campaign] = await Promise.all([
    loadSpamContext(db, { siteId: site.id, email, ipHash: job.ipHash ?? null, bodyHash, now: receivedAt }),
    // A signed-in author's record is their account's, whatever email they type.
    job.identity ? identityHistory(db, { siteId: site.id, issuer: job.identity.issuer, subject: job.identity.subject }) : null,
    // An email proven by a one-time link counts as verified too.
    !job.identity && email ? isEmailVerified(db, site.id, email) : false,
    // A signed-in author's name is theirs: the same name without the sign-in waits for a moderator.
    job.identity ? null : identityUsingName(db, site.id, job.author.name),
    // What moderators on any site marked spam (hashes and fingerprints only).
    loadCampaignMatches(db, [job], receivedAt),
  ]);
  if (identityRecord) live.authorHistory = identityRecord;
  const verified = Boolean(job.identity) || emailVerified;
  if (nameOwner)
    extraReasons.push({
      check: 'name',
      weight: 0,
      detail: `The name "${job.author.name}" belongs to an author who signs in with ${nameOwner}; this comment is not signed in`,
    });
  const localVerdict = classifyComment(
    {
      body: job.body,
      author: job.author,
      honeypot: job.honeypot,
      renderedAt: job.renderedAt,
      receivedAt: job.receivedAt,
      verified,
    },
    { settings: site.settings, model: context.model, mode: site.moderation, context: { ...live, campaign: campaign[0] } },
  );
  const verdict = await consultOutsideCheck(deps.akismet, site, job, job.thread.url ?? null, localVerdict);

  let status = STATUS_OF[verdict.outcome];
  const reasons: SpamReason[] = [...verdict.reasons, ...extraReasons];
  const ban = matchBan(context.bans, job);
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

  const written = await (deps.writeComment ?? ((row) => insertComment(db, row)))({
    id: job.id,
    siteId: site.id,
    threadId: thread.id,
    parentId,
    rootId,
    depth,
    authorName: job.identity?.name ?? job.author.name,
    authorEmail: job.author.email ?? null,
    authorUrl: job.identity?.url ?? job.author.url ?? null,
    authorIpHash: job.ipHash ?? null,
    authorIdentity: job.identity ? JSON.stringify({ provider: job.identity.provider, issuer: job.identity.issuer, subject: job.identity.subject }) : null,
    body: job.body,
    bodyHash,
    html: renderCommentHtml(job.body),
    status,
    score: verdict.score,
    reasons,
    createdAt: receivedAt,
    decidedAt: new Date(),
  });
  if (!written) {
    // Already decided by an earlier run of this job: report what was stored then.
    const existing = await findComment(db, job.id);
    if (existing && deps.onCommentReplayed) {
      await deps.onCommentReplayed({
        siteId: site.id,
        threadKey: thread.key,
        commentId: job.id,
        status: existing.status,
        notify: Boolean(job.notify && job.author.email),
        isReply: existing.parentId !== null,
      });
    }
    return { status: existing?.status ?? status, written: false };
  }
  if (written)
    await deps.onCommentWritten({
      siteId: site.id,
      threadKey: thread.key,
      commentId: job.id,
      status,
      notify: Boolean(job.notify && job.author.email),
      isReply: parentId !== null,
    });
  return { status, written };
}

function matchBan(bans: Ban[], job: CommentJob): Ban | undefined {
  const email = job.author.email?.toLowerCase();
  const text = job.body.toLowerCase();
  return bans.find(
    (ban) =>
      (ban.kind === 'email' && email === ban.value.toLowerCase()) ||
      (ban.kind === 'ip' && job.ipHash === ban.value) ||
      (ban.kind === 'word' && text.includes(ban.value.toLowerCase())) ||
      (ban.kind === 'identity' && job.identity && `${job.identity.issuer}|${job.identity.subject}` === ban.value),
  );
}
