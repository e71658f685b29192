import type { JobsOptions, Queue } from 'bullmq';

export interface BatchingProducerOptions {
  /** Longest a job waits for company before its batch is sent. */
  maxDelayMs?: number;
  maxBatch?: number;
}

interface Pending {
  name: string;
  data: unknown;
  opts: JobsOptions;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Adds jobs in micro-batches: every call waits at most `maxDelayMs` (or
 * until `maxBatch` jobs are waiting) and then one `addBulk` writes them all
 * in a single Redis round trip. Each promise settles only once its job is in
 * Redis, so a 202 after `await add()` is still a durable promise.
 */
export function createBatchingProducer(queue: Queue, options: BatchingProducerOptions = {}) {
  const maxDelayMs = options.maxDelayMs ?? 2;
  const maxBatch = options.maxBatch ?? 100;
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const write = queue
      .addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })))
      .then(
        () => {
          for (const job of batch) job.resolve();
        },
        (error: unknown) => {
          for (const job of batch) job.reject(error);
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  }

  return {
    add(name: string, data: unknown, opts: JobsOptions): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push({ name, data, opts, resolve, reject });
        if (pending.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxDelayMs);
      });
    },
    /** Sends what is waiting and resolves when every write has settled (for shutdown). */
    async drain(): Promise<void> {
      flush();
      await Promise.allSettled([...inFlight]);
    },
  };
}
export type BatchingProducer = ReturnType<typeof createBatchingProducer>;

/**
 * One batching producer per comment queue shard: a job goes to the shard of
 * its `siteId` (see queueLayout), so one batch never spans two hash slots.
 */
export function createShardedProducer(
  queues: Queue[],
  shardFor: (siteId: string) => number,
  options: BatchingProducerOptions = {},
): BatchingProducer {
  const producers = queues.map((queue) => createBatchingProducer(queue, options));
  if (producers.length === 1) return producers[0]!;
  return {
    add(name, data, opts) {
      const siteId = (data as { siteId?: unknown }).siteId;
      return producers[typeof siteId === 'string' ? shardFor(siteId) : 0]!.add(name, data, opts);
    },
    async drain() {
      await Promise.all(producers.map((producer) => producer.drain()));
    },
  };
}
