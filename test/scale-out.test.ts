import { COMMENTS_QUEUE } from '@stammtisch/queue';
import {
  type RunningService,
  type TestContext,
  createTestContext,
  eventually,
  makeSite,
  startService,
} from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The scale-out claim on one machine: two ingest and two worker processes on
// one Redis and one Postgres share the work, and every accepted comment is
// decided exactly once, counted three ways: one row per id, one completed
// job per id, and the workers' own "decided" counters summing to the total.
// (test/faults/scale-and-sigterm.test.ts adds SIGTERM under load; this one
// runs with `npm test` so CI keeps the plain 2 + 2 case honest.)

const COUNT = 300;
let ctx: TestContext;
const ingests: RunningService[] = [];
const workers: RunningService[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  const env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_CONCURRENCY: '8',
  };
  await makeSite(ctx.db, { id: 'scale', origins: ['*'], moderation: 'post', settings: { rateLimitPerMinute: 0 } });
  // Started one after another: four cold starts at once can starve a busy machine.
  for (const name of ['ingest', 'ingest', 'worker', 'worker'] as const) {
    const service = await startService(name, env, { timeoutMs: 120_000 });
    (name === 'ingest' ? ingests : workers).push(service);
  }
}, 600_000);

afterAll(async () => {
  await Promise.all([...ingests, ...workers].map((s) => s.stop()));
  await ctx?.cleanup();
}, 60_000);

/** Sum of a counter over its label sets, from a service's /metrics. */
async function counterTotal(service: RunningService, metric: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('2 ingest + 2 worker processes on one Redis and one Postgres', () => {
  it('decide every accepted comment exactly once, with both workers sharing the work', async () => {
    const accepted: string[] = [];
    const perIngest = [0, 0];
    let next = 0;
    const lane = async () => {
      for (let n = next++; n < COUNT; n = next++) {
        const which = n % 2;
        const res = await fetch(`${ingests[which]!.url}/v1/sites/scale/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            thread: { key: `/scale/${n % 7}` },
            author: { name: `Leser ${n}` },
            body: `Beitrag scale-${n}: ganz gewöhnlich, Nummer ${n}.`,
          }),
        });
        expect(res.status).toBe(202);
        accepted.push(((await res.json()) as { id: string }).id);
        perIngest[which]!++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    expect(new Set(accepted).size).toBe(COUNT);
    expect(perIngest).toEqual([COUNT / 2, COUNT / 2]);

    const rows = await eventually(
      async () => {
        const found = await ctx.db
          .selectFrom('comments')
          .select(['id', 'body'])
          .where('siteId', '=', 'scale')
          .execute();
        return found.length >= COUNT ? found : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, message: `not all ${COUNT} comments were written` },
    );
    expect(rows).toHaveLength(COUNT);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(accepted));
    expect(new Set(rows.map((r) => r.body)).size).toBe(COUNT);

    // Each job completed once and none failed; the counters only count rows a worker really wrote.
    const connection = ctx.redis.duplicate();
    const queue = new Queue(COMMENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
    try {
      const counts = await eventually(async () => {
        const c = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
        return c.completed === COUNT ? c : undefined;
      });
      expect(counts).toMatchObject({ completed: COUNT, failed: 0, active: 0, wait: 0 });
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const decided = await Promise.all(workers.map((w) => counterTotal(w, 'comments_decided_total')));
    expect(decided[0]! + decided[1]!).toBe(COUNT);
    expect(decided[0]).toBeGreaterThan(0);
    expect(decided[1]).toBeGreaterThan(0);
  }, 300_000);
});
