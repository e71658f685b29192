// The worker ceiling: a BullMQ worker whose processor does nothing, on its own
// queue, at the concurrency the real worker uses. Prints "ready" once it listens.
import { createWorkerConnection } from '@stammtisch/queue';
import { Worker } from 'bullmq';

const connection = createWorkerConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const worker = new Worker(process.env.BENCH_QUEUE ?? 'bench-noop', async () => undefined, {
  connection,
  prefix: process.env.REDIS_PREFIX ?? 'bench',
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 100),
});
worker.on('error', (error) => console.error(error));
await worker.waitUntilReady();
console.log('ready');
process.on('SIGTERM', () => {
  void worker.close().finally(() => process.exit(0));
});
