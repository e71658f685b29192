import type { DB } from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import { type Job, UnrecoverableError, type Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** What every worker of the notification queues is built with. */
export interface JobWorkerDeps {
  db: DB;
  logger: Logger;
  /** A worker connection (no command timeout); the queues' key prefix. */
  connection: Redis;
  prefix: string;
  /** Lock lifetime (ms, default 30 s): a job whose worker was killed is handed to another after about this long. */
  lockDurationMs?: number;
}

/**
 * The BullMQ options every worker of this process shares. One lock lifetime
 * for every queue (WORKER_LOCK_DURATION_MS), so a killed worker's webhook
 * deliveries and mails are taken over as soon as its comments are. A job
 * whose worker dies is handed on up to ten times, not failed the second time
 * as BullMQ's default would (a stall is the worker's fault, not the job's).
 */
export function jobWorkerOptions(
  deps: Pick<JobWorkerDeps, 'connection' | 'prefix' | 'lockDurationMs'>,
  concurrency: number,
): WorkerOptions {
  const lockDuration = deps.lockDurationMs ?? 30_000;
  return {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: 10,
  };
}

interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** A job's data by its schema; a malformed job will never parse, so it fails for good. */
export function parseJob<T>(schema: Schema<T>, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed ${job.name} job: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Logs a worker's errors, and each job that failed for good (retries used up,
 * or unrecoverable). Ids only: no payload in the log; with `errorNameOnly`
 * not even the error text (an SMTP error may quote an address).
 */
export function logFailures(worker: Worker, logger: Logger, options: { errorNameOnly?: boolean } = {}): void {
  worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
  worker.on('failed', (job, error) => {
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError)) {
      logger.warn(
        { queue: worker.name, jobId: job.id, err: { message: options.errorNameOnly ? error.name : error.message } },
        'job failed for good',
      );
    }
  });
}
