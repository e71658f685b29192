import { WEBHOOK_JOB_OPTIONS } from '@stammtisch/contract';
import type { JobsOptions, Queue, Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Mailer } from '@stammtisch/mail';
import { createEventFanOutWorker } from './workers/event-fan-out.js';
import type { JobWorkerDeps } from './workers/job-worker.js';
import { createMailWorker } from './workers/mail.js';
import { createWebhookDeliveryWorker } from './workers/webhook-delivery.js';

export interface NotificationWorkersDeps extends JobWorkerDeps {
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
 * outgoing mail (only with a mailer). Each parses its jobs with the shared
 * schema; a malformed job fails for good.
 */
export function createNotificationWorkers(deps: NotificationWorkersDeps) {
  // What every one of these workers is built with (JobWorkerDeps), and where its counters go.
  const { db, logger, connection, prefix, lockDurationMs, registry } = deps;
  const common = { db, logger, connection, prefix, lockDurationMs, registry };
  const workers: Worker[] = [
    createEventFanOutWorker({
      ...common,
      webhooksQueue: deps.webhooksQueue,
      emailsQueue: deps.emailsQueue,
      webhookJobOptions: deps.webhookJobOptions ?? WEBHOOK_JOB_OPTIONS,
    }),
    createWebhookDeliveryWorker({
      ...common,
      allowPrivate: deps.allowPrivate,
      concurrency: deps.webhookConcurrency,
      disableAfter: deps.disableAfter,
      timeoutMs: deps.webhookTimeoutMs,
    }),
  ];
  const mailer = deps.mailer;
  if (mailer) workers.push(createMailWorker({ ...common, mailer, publicApiUrl: deps.publicApiUrl }));
  return {
    workers,
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.close()));
      mailer?.close();
    },
  };
}
export type NotificationWorkers = ReturnType<typeof createNotificationWorkers>;
