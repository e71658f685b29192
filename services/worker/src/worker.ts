import { isUnavailableError } from '@stammtisch/http';
import { COMMENTS_QUEUE, CommentJob, EDIT_JOB_NAME, EditJob, JOB_NAMES, ReportJob } from '@stammtisch/queue';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, Histogram, type Registry } from 'prom-client';
import { type CommentProcessorDeps, processComment } from './processors/comment.js';
import { type EditProcessorDeps, processCommentEdit } from './processors/comment-edit.js';
import { processReport } from './processors/report.js';

export interface WorkerDeps extends CommentProcessorDeps, Partial<Pick<EditProcessorDeps, 'onCommentEdited'>> {
  connection: Redis;
  prefix: string;
  concurrency: number;
  registry: Registry;
  /** Start paused (tests that want to fill the queue first). */
  autorun?: boolean;
  /** Lock lifetime (ms): a job whose worker was killed is handed to another after about this long. */
  lockDurationMs?: number;
  /** The comment queue shard to consume (queueLayout); default "comments" under `prefix`. */
  queueName?: string;
}

/** The BullMQ worker for the comments queue: parses every job with the shared schema and dispatches by name. */
export function createCommentWorker(deps: WorkerDeps): Worker {
  // One worker per queue shard shares the metrics of the process.
  const decided =
    (deps.registry.getSingleMetric('comments_decided_total') as Counter<'status'> | undefined) ??
    new Counter({ name: 'comments_decided_total', help: 'Comments written, by status', labelNames: ['status'], registers: [deps.registry] });
  const latency =
    (deps.registry.getSingleMetric('comment_accept_to_written_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'comment_accept_to_written_seconds',
      help: 'Time from ingest accepting a comment to the worker writing it',
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [deps.registry],
    });

  async function handle(job: Job): Promise<unknown> {
    try {
      if (job.name === JOB_NAMES.report) {
        const report = ReportJob.safeParse(job.data);
        if (!report.success) throw new UnrecoverableError(`malformed report job: ${report.error.message}`);
        const recorded = await processReport(deps.db, report.data);
        if (recorded) await deps.onReported?.({ siteId: report.data.siteId, commentId: report.data.commentId, reportId: report.data.id });
        return recorded;
      }
      if (job.name === EDIT_JOB_NAME) {
        const edit = EditJob.safeParse(job.data);
        if (!edit.success) throw new UnrecoverableError(`malformed edit job: ${edit.error.message}`);
        return await processCommentEdit({ ...deps, onCommentEdited: deps.onCommentEdited ?? (async () => {}) }, edit.data);
      }
      const parsed = CommentJob.safeParse(job.data);
      // A job that does not parse will never parse: fail it for good (it stays in the failed set for an operator).
      if (!parsed.success) throw new UnrecoverableError(`malformed comment job: ${parsed.error.message}`);
      const result = await processComment(deps, parsed.data);
      if (result?.written) {
        decided.inc({ status: result.status });
        latency.observe((Date.now() - parsed.data.receivedAt) / 1000);
      }
      return result;
    } catch (error) {
      // Postgres away: BullMQ retries with backoff (job attempts); say so calmly.
      if (isUnavailableError(error)) deps.logger.warn({ jobId: job.id, attempt: job.attemptsMade + 1 }, 'database unavailable; job will be retried');
      throw error;
    }
  }

  const worker = new Worker(deps.queueName ?? COMMENTS_QUEUE, handle, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    autorun: deps.autorun ?? true,
    // A job whose worker died mid-way is handed to another after this long.
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.lockDurationMs ?? 30_000,
    maxStalledCount: 10,
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
  worker.on('failed', (job, error) => {
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError)) {
      deps.logger.error({ jobId: job.id, err: error }, 'job failed for good; kept in the failed set');
    }
  });
  return worker;
}

export { JOB_NAMES };
