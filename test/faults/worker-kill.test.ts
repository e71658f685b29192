import { COMMENTS_QUEUE } from '@stammtisch/queue';
import { type RunningService, type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainAndTally, makeFaultSite, postComments, recordScenario, start, tally } from './harness.js';

// A worker dies with SIGKILL (no chance to clean up) while comments stream
// in; a new one starts. The killed worker's jobs were locked: their lock runs
// out (WORKER_LOCK_DURATION_MS) and the new worker takes them over. Rows are
// keyed by the comment id, so a job that ran halfway twice still makes one row.

const COUNT = 300;
let ctx: TestContext;
let env: Record<string, string>;
const services: RunningService[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_CONCURRENCY: '10',
  };
  await makeFaultSite(ctx.db);
  services.push(...(await Promise.all([start('ingest', env), start('worker', env)])));
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await ctx.cleanup();
});

describe('worker killed with SIGKILL mid-stream', () => {
  it('decides every accepted comment exactly once after a new worker starts', async () => {
    const ingest = services[0]!;
    const firstWorker = services[1]!;
    const load = postComments([ingest.url], 'faults', COUNT, { concurrency: 6, tag: 'kill' });

    // Kill while the worker is busy: some comments written, others not yet.
    const writtenBeforeKill = await eventually(
      async () => {
        const { n } = await ctx.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n) >= 40 ? Number(n) : undefined;
      },
      { timeoutMs: 60_000, message: 'the first worker never wrote 40 comments' },
    );
    await firstWorker.stop('SIGKILL');
    const second = await start('worker', env);
    services.push(second);

    const result = await load;
    const counts = await drainAndTally(ctx.db, result.accepted);
    // Jobs the killed worker held: BullMQ found them stalled and handed them on.
    const queue = new Queue(COMMENTS_QUEUE, { connection: ctx.redis.duplicate(), prefix: ctx.redisPrefix });
    const completed = await queue.getJobs(['completed'], 0, -1);
    const takenOver = completed.filter((job) => (job.stalledCounter ?? 0) > 0).length;
    await queue.close();
    recordScenario('worker SIGKILL mid-stream, then restart', { ...counts, writtenBeforeKill, takenOver, refused: result.refused });

    expect(writtenBeforeKill).toBeLessThan(COUNT);
    expect(result.accepted.length).toBe(COUNT);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect((await tally(ctx.db, result.accepted)).decided).toBe(COUNT);
  });
});
