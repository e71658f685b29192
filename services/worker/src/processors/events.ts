import {
  type DB,
  findWebhookDeliveryByEvent,
  findWebhooksForEvent,
  recordWebhookDelivery,
  selectCommentViews,
  toCommentView,
} from '@stammtisch/db';
import {
  type CommentEventJob,
  EVENT_JOB_OPTIONS,
  type EmailJob,
  type WebhookDeliveryJob,
  emailJobId,
  webhookDeliveryJobId,
} from '@stammtisch/contract';
import type { JobsOptions, Queue } from 'bullmq';

export interface EventProcessorDeps {
  db: DB;
  webhooksQueue: Queue;
  /** Null when mail is off (no SMTP_URL). */
  emailsQueue: Queue | null;
  webhookJobOptions: JobsOptions;
}

/**
 * The comment as the moderation queue shows it, without the author's email
 * (and never an IP): what a webhook receiver gets as `data`.
 */
export async function commentPayloadData(db: DB, commentId: string) {
  const row = await selectCommentViews(db).where('comments.id', '=', commentId).executeTakeFirst();
  return row ? toCommentView(row) : null;
}

/**
 * Fans one comment event out: a delivery (row + job) for every enabled
 * webhook of the site that subscribed to it, and the mails it calls for.
 * Safe to run again: deliveries are unique per (webhook, event) in Postgres
 * and jobs per id in Redis; a delivery recorded but never queued (a crash in
 * between) is queued on the rerun.
 */
export async function processCommentEvent(
  deps: EventProcessorDeps,
  event: CommentEventJob,
): Promise<{ deliveries: number }> {
  const data = await commentPayloadData(deps.db, event.commentId);
  if (!data) return { deliveries: 0 };
  const payload = JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data });

  const webhooks = await findWebhooksForEvent(deps.db, event.siteId, event.type);
  const jobs: Array<{ name: string; data: WebhookDeliveryJob; opts: JobsOptions }> = [];
  for (const webhook of webhooks) {
    let deliveryId = await recordWebhookDelivery(deps.db, {
      webhookId: webhook.id,
      eventId: event.id,
      eventType: event.type,
      payload,
    });
    if (!deliveryId) {
      const existing = await findWebhookDeliveryByEvent(deps.db, webhook.id, event.id);
      if (existing?.status === 'pending') deliveryId = existing.id;
    }
    if (deliveryId) {
      jobs.push({
        name: 'delivery',
        data: { deliveryId, webhookId: webhook.id },
        opts: { ...deps.webhookJobOptions, jobId: webhookDeliveryJobId(event.id, webhook.id) },
      });
    }
  }
  if (jobs.length) await deps.webhooksQueue.addBulk(jobs);

  if (deps.emailsQueue) {
    let mail: EmailJob | null = null;
    if (event.type === 'comment.held') mail = { kind: 'held', commentId: event.commentId };
    else if (event.type === 'comment.approved' && data.parentId) mail = { kind: 'reply', replyId: event.commentId };
    if (mail) await deps.emailsQueue.add(mail.kind, mail, { ...EVENT_JOB_OPTIONS, jobId: emailJobId(mail) });
  }
  return { deliveries: jobs.length };
}
