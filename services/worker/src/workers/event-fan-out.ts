import { CommentEventJob } from '@stammtisch/contract';
import { EVENTS_QUEUE } from '@stammtisch/queue';
import { type JobsOptions, type Queue, Worker } from 'bullmq';
import { processCommentEvent } from '../processors/events.js';
import { type JobWorkerDeps, jobWorkerOptions, logFailures, parseJob } from './job-worker.js';

/** Fans each comment event out into one delivery job per matching webhook and the mails it calls for. */
export function createEventFanOutWorker(
  deps: JobWorkerDeps & { webhooksQueue: Queue; emailsQueue: Queue | null; webhookJobOptions: JobsOptions },
): Worker {
  const { db, webhooksQueue, emailsQueue, webhookJobOptions } = deps;
  const worker = new Worker(
    EVENTS_QUEUE,
    async (job) =>
      processCommentEvent({ db, webhooksQueue, emailsQueue, webhookJobOptions }, parseJob(CommentEventJob, job)),
    jobWorkerOptions(deps, 5),
  );
  logFailures(worker, deps.logger);
  return worker;
}
