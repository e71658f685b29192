import { type CommentStatus, type DB, findCommentAuthorEmail, findSite, watchReplies } from '@stammtisch/db';
import {
  type CommentEventJob,
  EVENT_JOB_OPTIONS,
  type EmailJob,
  type WebhookEventType,
  commentEventId,
  emailJobId,
} from '@stammtisch/contract';
import type { Queue } from 'bullmq';
import type { SiteEventInterest } from './event-interest.js';

const EVENT_FOR_STATUS: Record<CommentStatus, WebhookEventType | null> = {
  approved: 'comment.approved',
  pending: 'comment.held',
  spam: 'comment.spam',
  rejected: 'comment.rejected',
};

export interface EventProducerDeps {
  db: DB;
  eventsQueue: Queue;
  /** Null when mail is off. */
  emailsQueue: Queue | null;
  /** Which events can lead anywhere for a site; without it every event is queued. */
  interest?: (siteId: string) => Promise<SiteEventInterest>;
}

type Written = { siteId: string; commentId: string; status: CommentStatus; notify?: boolean; isReply?: boolean };

/**
 * After the worker wrote comments: `comment.received`, and the event of each
 * one's status, all in one `addBulk`. Ids derive from the comment id, so a
 * replay queues nothing new. When an author asked for reply notifications,
 * the comment is watched and, the first time, a confirmation mail goes out
 * (double opt-in). Spam asks for nothing.
 */
export async function queueCommentsWrittenEvents(deps: EventProducerDeps, written: Written[]): Promise<void> {
  const now = Date.now();
  const mail = deps.emailsQueue !== null;
  const interests = new Map<string, Promise<SiteEventInterest>>();
  const interestOf = (siteId: string) => {
    let interest = interests.get(siteId);
    if (!interest && deps.interest) interests.set(siteId, (interest = deps.interest(siteId)));
    return interest;
  };
  const jobs = (
    await Promise.all(
      written.map(async (one) => {
        let types: WebhookEventType[] = ['comment.received'];
        const statusEvent = EVENT_FOR_STATUS[one.status];
        if (statusEvent) types.push(statusEvent);
        const interest = await interestOf(one.siteId);
        if (interest) {
          // Keep an event only when a webhook listens to it or it sends a mail (held notice, reply notice).
          types = types.filter(
            (type) =>
              interest.webhookEvents.has(type) ||
              (mail && type === 'comment.held' && interest.notifyHeld) ||
              (mail && type === 'comment.approved' && one.isReply === true),
          );
        }
        return types.map((type) => {
          const id = commentEventId(type, one.commentId);
          return {
            name: 'event',
            data: { id, type, siteId: one.siteId, commentId: one.commentId, occurredAt: now } satisfies CommentEventJob,
            opts: { ...EVENT_JOB_OPTIONS, jobId: id },
          };
        });
      }),
    )
  ).flat();
  if (jobs.length > 0) await deps.eventsQueue.addBulk(jobs);
  // Rare (an author ticked "notify me"): one at a time is fine.
  for (const one of written)
    if (one.notify && one.status !== 'spam' && deps.emailsQueue) await watchForReplies(deps, deps.emailsQueue, one);
}

/** One comment's events: the batch form for one. */
export async function queueCommentWrittenEvents(deps: EventProducerDeps, written: Written): Promise<void> {
  await queueCommentsWrittenEvents(deps, [written]);
}

async function watchForReplies(deps: EventProducerDeps, emailsQueue: Queue, written: Written): Promise<void> {
  const email = await findCommentAuthorEmail(deps.db, written.commentId);
  if (!email) return;
  const site = await findSite(deps.db, written.siteId);
  const { subscriber, needsConfirmation } = await watchReplies(deps.db, {
    siteId: written.siteId,
    commentId: written.commentId,
    email,
    locale: site?.settings.locale ?? null,
  });
  if (needsConfirmation) {
    const mail: EmailJob = { kind: 'confirm', subscriberId: subscriber.id, commentId: written.commentId };
    await emailsQueue.add(mail.kind, mail, { ...EVENT_JOB_OPTIONS, jobId: emailJobId(mail) });
  }
}

/** A reader's report was recorded: `comment.reported`, identified by the report job. */
export async function queueReportedEvent(
  deps: Pick<EventProducerDeps, 'eventsQueue'>,
  report: { siteId: string; commentId: string; reportId: string },
): Promise<void> {
  const id = commentEventId('comment.reported', report.commentId, report.reportId);
  const data: CommentEventJob = {
    id,
    type: 'comment.reported',
    siteId: report.siteId,
    commentId: report.commentId,
    occurredAt: Date.now(),
  };
  await deps.eventsQueue.add('event', data, { ...EVENT_JOB_OPTIONS, jobId: id });
}
