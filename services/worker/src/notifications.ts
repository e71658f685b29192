import { type CommentStatus, type DB, findCommentAuthorEmail, findSite, listSubscribedEventTypes, watchReplies } from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import {
  CommentEventJob,
  EMAILS_QUEUE,
  EVENT_JOB_OPTIONS,
  EVENTS_QUEUE,
  EmailJob,
  WEBHOOK_JOB_OPTIONS,
  WEBHOOKS_QUEUE,
  WebhookDeliveryJob,
  type WebhookEventType,
  commentEventId,
  emailJobId,
} from '@stammtisch/queue';
import { type Job, type JobsOptions, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Mailer } from './mail/mailer.js';
import { processEmail } from './processors/email.js';
import { processCommentEvent } from './processors/events.js';
import { deliverWebhook } from './processors/webhook.js';

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

/** What a site's events can lead to: its enabled webhooks' event types, and whether held-comment mails go out. */
export interface SiteEventInterest {
  webhookEvents: ReadonlySet<string>;
  notifyHeld: boolean;
}

/**
 * A short-lived, per-process answer to "does anyone listen to this site's
 * events?". Most sites have no webhooks: queueing two event jobs per comment
 * for them tripled the worker's job count for nothing. The api publishes
 * site.changed when webhooks change (invalidate), and the TTL bounds the rest.
 */
export function createEventInterestCache(db: DB, options: { ttlMs?: number } = {}) {
  const ttlMs = options.ttlMs ?? 5_000;
  const entries = new Map<string, { value: Promise<SiteEventInterest>; loadedAt: number }>();
  async function load(siteId: string): Promise<SiteEventInterest> {
    const [eventTypes, site] = await Promise.all([listSubscribedEventTypes(db, siteId), findSite(db, siteId)]);
    return { webhookEvents: new Set(eventTypes), notifyHeld: (site?.settings.notifyEmails?.length ?? 0) > 0 };
  }
  return {
    get(siteId: string): Promise<SiteEventInterest> {
      const entry = entries.get(siteId);
      if (entry && Date.now() - entry.loadedAt < ttlMs) return entry.value;
      const value = load(siteId);
      entries.set(siteId, { value, loadedAt: Date.now() });
      value.catch(() => entries.delete(siteId));
      return value;
    },
    invalidate(siteId: string): void {
      entries.delete(siteId);
    },
  };
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
  for (const one of written) if (one.notify && one.status !== 'spam' && deps.emailsQueue) await watchForReplies(deps, deps.emailsQueue, one);
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
  const data: CommentEventJob = { id, type: 'comment.reported', siteId: report.siteId, commentId: report.commentId, occurredAt: Date.now() };
  await deps.eventsQueue.add('event', data, { ...EVENT_JOB_OPTIONS, jobId: id });
}

export interface NotificationWorkersDeps {
  db: DB;
  logger: Logger;
  connection: Redis;
  prefix: string;
  webhooksQueue: Queue;
  emailsQueue: Queue | null;
  /** Null when mail is off: no mail worker runs. */
  mailer: Mailer | null;
  publicApiUrl: string;
  allowPrivate: boolean;
  webhookConcurrency: number;
  disableAfter: number;
  /** Attempts and backoff of deliveries (tests shorten them). */
  webhookJobOptions?: JobsOptions;
  webhookTimeoutMs?: number;
  /** Where delivery and mail counters go (/metrics). */
  registry?: Registry;
}

/**
 * The workers behind webhooks and mail: event fan-out, webhook deliveries,
 * outgoing mail. Each parses its jobs with the shared schema; a malformed
 * job fails for good.
 */
export function createNotificationWorkers(deps: NotificationWorkersDeps) {
  const common = { connection: deps.connection, prefix: deps.prefix };
  const webhookJobOptions = deps.webhookJobOptions ?? WEBHOOK_JOB_OPTIONS;
  const registers = deps.registry ? [deps.registry] : [];
  const deliveryAttempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by result',
    labelNames: ['result'],
    registers,
  });
  const mailsSent = new Counter({ name: 'emails_total', help: 'Mail jobs, by kind and result', labelNames: ['kind', 'result'], registers });

  function parse<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, job: Job): T {
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed ${job.name} job: ${parsed.error.message}`);
    return parsed.data;
  }

  const workers: Worker[] = [
    new Worker(
      EVENTS_QUEUE,
      async (job) =>
        processCommentEvent({ db: deps.db, webhooksQueue: deps.webhooksQueue, emailsQueue: deps.emailsQueue, webhookJobOptions }, parse(CommentEventJob, job)),
      {
        ...common,
        concurrency: 5,
      },
    ),
    new Worker(
      WEBHOOKS_QUEUE,
      async (job) => {
        const data = parse(WebhookDeliveryJob, job);
        const attempts = job.opts.attempts ?? 1;
        try {
          const result = await deliverWebhook(
            { db: deps.db, logger: deps.logger, allowPrivate: deps.allowPrivate, disableAfter: deps.disableAfter, timeoutMs: deps.webhookTimeoutMs },
            data,
            { number: job.attemptsMade + 1, last: job.attemptsMade + 1 >= attempts },
          );
          deliveryAttempts.inc({ result: result.status });
          return result;
        } catch (error) {
          deliveryAttempts.inc({ result: 'failed' });
          throw error;
        }
      },
      { ...common, concurrency: deps.webhookConcurrency },
    ),
  ];
  const mailer = deps.mailer;
  if (mailer) {
    workers.push(
      new Worker(
        EMAILS_QUEUE,
        async (job) => {
          const data = parse(EmailJob, job);
          const result = await processEmail({ db: deps.db, mailer, publicApiUrl: deps.publicApiUrl }, data);
          mailsSent.inc({ kind: data.kind, result });
          return result;
        },
        {
          ...common,
          concurrency: 2,
        },
      ),
    );
  }
  for (const worker of workers) {
    worker.on('error', (error) => deps.logger.error({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => {
      if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError)) {
        // Ids only: no payload in the log, and no SMTP error text (it may quote an address).
        deps.logger.warn(
          { queue: worker.name, jobId: job.id, err: { message: worker.name === EMAILS_QUEUE ? error.name : error.message } },
          'job failed for good',
        );
      }
    });
  }
  return {
    workers,
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.close()));
      mailer?.close();
    },
  };
}
export type NotificationWorkers = ReturnType<typeof createNotificationWorkers>;
