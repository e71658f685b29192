import { isUnavailableError } from '@stammtisch/http';
import { type CommentJob, type EditJob, MalformedJobError, readJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE } from '@stammtisch/queue';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import { createBatcher } from './batcher.js';
import { type CommentProcessorDeps, type CommentResult, processCommentBatch } from './processors/comment.js';
import { processReport } from './processors/report.js';
import { type JobWorkerDeps, jobWorkerOptions } from './workers/job-worker.js';

/** The queue connection, key prefix and lock lifetime come as every worker of the process gets them (job-worker.ts). */
export interface WorkerDeps
  extends CommentProcessorDeps,
    Pick<JobWorkerDeps, 'connection' | 'prefix' | 'lockDurationMs'> {
  /** Jobs held at once; also the largest batch. */
  concurrency: number;
  registry: Registry;
  /** The queue to consume (default COMMENTS_QUEUE); one worker per queue when the queue is sharded. */
  queueName?: string;
  /** How long the first comment of a batch waits for company (ms, default 1). */
  batchWaitMs?: number;
  /** Largest batch (default: concurrency). */
  maxBatch?: number;
  /** A writer's edit (processors/comment-edit.ts); without it edit jobs fail. Throw to fail or retry the job. */
  processEdit?: (edit: EditJob) => Promise<unknown>;
  /** Start paused (tests that want to fill the queue first). */
  autorun?: boolean;
}

/**
 * The BullMQ worker for the comments queue: parses every job with the shared
 * schema and routes it by job name. Comment jobs go through a batcher (group
 * commit): the jobs held at once are decided together and written in one
 * INSERT, and each job is acked only when the batch holding it has stored
 * its row (or failed on its own).
 */
export function createCommentWorker(deps: WorkerDeps): Worker {
  // One worker per queue shard shares the metrics of the process.
  const metric = <T>(name: string, make: () => T): T =>
    (deps.registry.getSingleMetric(name) as T | undefined) ?? make();
  const histogram = (name: string, help: string, buckets: number[], labelNames: string[] = []) =>
    metric(name, () => new Histogram({ name, help, buckets, labelNames, registers: [deps.registry] }));
  const decided = metric(
    'comments_decided_total',
    () =>
      new Counter({
        name: 'comments_decided_total',
        help: 'Comments written, by status',
        labelNames: ['status'],
        registers: [deps.registry],
      }),
  );
  const latency = histogram(
    'comment_accept_to_written_seconds',
    'Time from ingest accepting a comment to the worker writing it',
    [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  );
  const batchSize = histogram(
    'comment_batch_size',
    'Comments decided and written together',
    [1, 2, 5, 10, 20, 50, 100, 200, 500],
  );
  const stageSeconds = histogram(
    'comment_batch_stage_seconds',
    'Time a batch spends per stage: context (one query), decide (checks, render), insert, hooks (change event, events)',
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    ['stage'],
  );
  const observeStage =
    deps.observeStage ?? ((stage: string, seconds: number) => stageSeconds.observe({ stage }, seconds));
  const batcher = createBatcher<CommentJob, CommentResult>(
    async (jobs) => {
      batchSize.observe(jobs.length);
      const results = await processCommentBatch({ ...deps, observeStage }, jobs);
      const now = Date.now();
      results.forEach((result, i) => {
        if (!result.ok || !result.value?.written) return;
        decided.inc({ status: result.value.status });
        latency.observe((now - jobs[i]!.receivedAt) / 1000);
      });
      return results;
    },
    { maxBatch: deps.maxBatch ?? deps.concurrency, maxWaitMs: deps.batchWaitMs ?? 1 },
  );

  async function process(job: Job): Promise<unknown> {
    const read = readJob(job);
    if (read.kind === 'comment') return batcher.submit(read.data);
    if (read.kind === 'report') {
      const report = read.data;
      const recorded = await processReport(deps.db, report);
      if (recorded)
        await deps.onReported?.({ siteId: report.siteId, commentId: report.commentId, reportId: report.id });
      return recorded;
    }
    if (!deps.processEdit) throw new UnrecoverableError('this worker does not process edits');
    return deps.processEdit(read.data);
  }

  async function handle(job: Job): Promise<unknown> {
    try {
      return await process(job);
    } catch (error) {
      // A job that does not parse will never parse: fail it for good (it stays in the failed set for an operator).
      if (error instanceof MalformedJobError) throw new UnrecoverableError(error.message);
      // Postgres away: BullMQ retries with backoff (job attempts); say so calmly.
      if (isUnavailableError(error))
        deps.logger.warn({ jobId: job.id, attempt: job.attemptsMade + 1 }, 'database unavailable; job will be retried');
      throw error;
    }
  }

  const worker = new Worker(deps.queueName ?? COMMENTS_QUEUE, handle, {
    ...jobWorkerOptions(deps, deps.concurrency),
    autorun: deps.autorun ?? true,
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
  worker.on('failed', (job, error) => {
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError)) {
      deps.logger.error({ jobId: job.id, err: error }, 'job failed for good; kept in the failed set');
    }
  });
  return worker;
}
