import type { CommentStatus } from '@stammtisch/db';
import { EVENT_JOB_OPTIONS, type WebhookEventType, commentEventId } from '@stammtisch/contract';
import type { Queue } from 'bullmq';
import type { DecisionResult } from '../moderation/decide.js';

const EVENT_FOR_STATUS: Record<CommentStatus, WebhookEventType> = {
  approved: 'comment.approved',
  rejected: 'comment.rejected',
  spam: 'comment.spam',
  pending: 'comment.held',
};

/**
 * Queues one comment event per moderator decision (the worker fans each out
 * to webhooks and mails). The id comes from the moderation event, so a
 * retried call queues nothing twice.
 */
export async function queueDecisionEvents(eventsQueue: Queue, results: DecisionResult[]): Promise<void> {
  const jobs = results
    .filter((r) => r.from !== r.to)
    .map((r) => {
      const type = EVENT_FOR_STATUS[r.to];
      const id = commentEventId(type, r.id, `mod${r.eventId}`);
      return {
        name: 'event',
        data: { id, type, siteId: r.siteId, commentId: r.id, occurredAt: Date.now() },
        opts: { ...EVENT_JOB_OPTIONS, jobId: id },
      };
    });
  if (jobs.length) await eventsQueue.addBulk(jobs);
}
