import { COMMENTS_QUEUE } from '@stammtisch/queue';
import { type RunningService, type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainAndTally, makeFaultSite, postComments, recordScenario, start, tally } from './harness.js';

// SIGKILL in the middle of a batch. A test connection holds an EXCLUSIVE
// lock on the comments table, so the worker's batch INSERT waits with a
// whole batch of jobs locked in BullMQ. The worker is killed there; then the
// lock goes. Postgres does not notice the dead client while it waits, so the
// killed batch's INSERT may still commit: rows written whose jobs were never
// acked (the hard case). A new worker takes the jobs over once their locks
// run out (WORKER_LOCK_DURATION_MS); the rows already there are found by the
// INSERT's ON CONFLICT, and every accepted comment ends up stored once.

const COUNT = 200;
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
    WORKER_CONCURRENCY: '50',
    // Gather the jobs into batches even at this test's trickle.
    WORKER_BATCH_WAIT_MS: '20',
  };
  await makeFaultSite(ctx.db);
  services.push(...(await Promise.all([start('ingest', env), start('worker', env)])));
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await ctx.cleanup();
});

describe('worker killed with SIGKILL in the middle of a batch', () => {
  it('loses and duplicates nothing: the held batch is taken over by a new worker', async () => {
    const ingest = services[0]!;
    const firstWorker = services[1]!;
    // Warm up: the first comments go through, so the worker has loaded its model and site.
    const warm = await postComments([ingest.url], 'faults', 20, { concurrency: 4, tag: 'warm' });
    await drainAndTally(ctx.db, warm.accepted, 60_000);

    const locker = new pg.Client({ connectionString: ctx.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table comments in exclusive mode');
      const load = await postComments([ingest.url], 'faults', COUNT, { concurrency: 10, tag: 'batch' });
      expect(load.accepted.length).toBe(COUNT);
      // The worker's batch INSERT is now waiting on the lock: the middle of a batch.
      const waiting = await eventually(
        async () => {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = 'stammtisch-worker' and wait_event_type = 'Lock' and query ilike 'insert into "comments"%'`.execute(
            ctx.db,
          );
          return rows[0]!.n > 0 ? rows[0]!.n : undefined;
        },
        { timeoutMs: 60_000, message: 'the worker never reached its batch INSERT' },
      );
      const queue = new Queue(COMMENTS_QUEUE, { connection: ctx.redis.duplicate(), prefix: ctx.redisPrefix });
      const activeAtKill = (await queue.getJobCounts('active')).active ?? 0;
      await firstWorker.stop('SIGKILL');
      await locker.query('rollback');

      const second = await start('worker', env);
      services.push(second);
      const counts = await drainAndTally(ctx.db, load.accepted);
      // The killed INSERT may have committed its rows, so the tally can be
      // complete before the new worker has taken the stalled jobs over: wait
      // for the queue to be empty before counting the take-overs.
      await eventually(
        async () => {
          const left = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized');
          return Object.values(left).every((n) => n === 0) ? true : undefined;
        },
        { timeoutMs: 60_000, message: 'the stalled jobs were never taken over and completed' },
      );
      const completed = await queue.getJobs(['completed'], 0, -1);
      const takenOver = completed.filter((job) => (job.stalledCounter ?? 0) > 0).length;
      await queue.close();
      recordScenario('worker SIGKILL in the middle of a batch INSERT, then restart', {
        ...counts,
        waitingInserts: waiting,
        activeAtKill,
        takenOver,
      });

      expect(activeAtKill).toBeGreaterThan(1);
      expect(counts.lost).toBe(0);
      expect(counts.duplicated).toBe(0);
      expect(takenOver).toBeGreaterThan(0);
      expect((await tally(ctx.db, load.accepted)).decided).toBe(COUNT);
    } finally {
      await locker.end().catch(() => {});
    }
  });
});
