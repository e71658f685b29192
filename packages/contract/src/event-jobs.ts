import { z } from 'zod';

/**
 * The jobs behind webhooks and mail (queue names: @stammtisch/queue).
 * Producers (worker after a write, api after a decision, worker after a
 * report) add one `CommentEventJob` to the events queue with `jobId` = the
 * event id; the worker fans it out into one delivery job per matching
 * webhook and the mails it calls for.
 */

export const WEBHOOK_EVENT_TYPES = [
  'comment.received',
  'comment.approved',
  'comment.held',
  'comment.spam',
  'comment.rejected',
  'comment.reported',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const CommentEventJob = z.object({
  /** Deterministic (see `commentEventId`), so a replayed producer adds nothing new. */
  id: z.string().min(1).max(200),
  type: WebhookEventType,
  siteId: z.string().min(1),
  commentId: z.string().uuid(),
  /** When it happened (ms since epoch); the payload's `timestamp`. */
  occurredAt: z.number(),
});
export type CommentEventJob = z.infer<typeof CommentEventJob>;

/**
 * The event id, also the deliveries' `webhook-id`. Derived from what caused
 * the event (the comment for worker events, the moderation event or report
 * row otherwise), never random, so a retried producer yields the same id.
 * BullMQ refuses ':' in custom job ids, hence '_' and '-' as separators.
 */
export function commentEventId(type: WebhookEventType, commentId: string, cause?: string | number): string {
  return `msg_${type.replace('comment.', '')}_${commentId}${cause !== undefined ? `-${cause}` : ''}`;
}

export const WebhookDeliveryJob = z.object({
  deliveryId: z.string().uuid(),
  webhookId: z.string().uuid(),
});
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;

/** The delivery job's id: one per (event, webhook), so duplicates collapse in Redis too. */
export function webhookDeliveryJobId(eventId: string, webhookId: string): string {
  return `${eventId}_${webhookId}`;
}

export const EmailJob = z.discriminatedUnion('kind', [
  /** Double opt-in: ask the address to confirm reply notifications. */
  z.object({ kind: z.literal('confirm'), subscriberId: z.string().uuid(), commentId: z.string().uuid() }),
  /** Tell the watcher of the reply's parent that someone answered. */
  z.object({ kind: z.literal('reply'), replyId: z.string().uuid() }),
  /** Tell the site's moderators that a comment waits for them. */
  z.object({ kind: z.literal('held'), commentId: z.string().uuid() }),
]);
export type EmailJob = z.infer<typeof EmailJob>;

export function emailJobId(job: EmailJob): string {
  if (job.kind === 'confirm') return `confirm_${job.subscriberId}_${job.commentId}`;
  if (job.kind === 'reply') return `reply_${job.replyId}`;
  return `held_${job.commentId}`;
}

/** How long finished event jobs stay in Redis: a day when done, a week when failed (for a look at what went wrong). */
const EVENT_JOB_RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** Fan-out and mail: a few quick retries cover a Postgres or SMTP blip. */
export const EVENT_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  ...EVENT_JOB_RETENTION,
} as const;

/**
 * Webhook deliveries: 8 attempts with exponential backoff from 10 s
 * (10 s, 20 s, 40 s … about 21 minutes from first try to last).
 */
export const WEBHOOK_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 10_000 },
  ...EVENT_JOB_RETENTION,
} as const;
