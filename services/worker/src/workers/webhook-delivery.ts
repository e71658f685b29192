import { WebhookDeliveryJob } from '@stammtisch/contract';
import { WEBHOOKS_QUEUE } from '@stammtisch/queue';
import { Worker } from 'bullmq';
import { Counter, type Registry } from 'prom-client';
import { deliverWebhook } from '../processors/webhook.js';
import { type JobWorkerDeps, jobWorkerOptions, logFailures, parseJob } from './job-worker.js';

/** Sends webhook deliveries (one job per event and webhook), counting attempts by result. */
export function createWebhookDeliveryWorker(
  deps: JobWorkerDeps & {
    allowPrivate: boolean;
    concurrency: number;
    disableAfter: number;
    timeoutMs?: number;
    registry?: Registry;
  },
): Worker {
  const attemptsTotal = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by result',
    labelNames: ['result'],
    registers: deps.registry ? [deps.registry] : [],
  });
  const delivery = {
    db: deps.db,
    logger: deps.logger,
    allowPrivate: deps.allowPrivate,
    disableAfter: deps.disableAfter,
    timeoutMs: deps.timeoutMs,
  };
  const worker = new Worker(
    WEBHOOKS_QUEUE,
    async (job) => {
      const data = parseJob(WebhookDeliveryJob, job);
      const attempts = job.opts.attempts ?? 1;
      try {
        const result = await deliverWebhook(delivery, data, {
          number: job.attemptsMade + 1,
          last: job.attemptsMade + 1 >= attempts,
        });
        attemptsTotal.inc({ result: result.status });
        return result;
      } catch (error) {
        attemptsTotal.inc({ result: 'failed' });
        throw error;
      }
    },
    jobWorkerOptions(deps, deps.concurrency),
  );
  logFailures(worker, deps.logger);
  return worker;
}
