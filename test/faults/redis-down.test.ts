import { type RunningService, type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PrivateRedis,
  drainAndTally,
  makeFaultSite,
  postComments,
  recordScenario,
  start,
  startPrivateRedis,
} from './harness.js';

// Redis dies (SIGKILL) while comments stream in. Ingest must not promise what
// it cannot keep: 503 with Retry-After at once, never a 202. Redis comes back
// from its append-only file, and every comment that got a 202 before the
// crash is still processed. The Redis here is a private one; the shared one is untouched.

const COUNT = 250;
let ctx: TestContext;
let redis: PrivateRedis;
const services: RunningService[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  redis = await startPrivateRedis();
  await makeFaultSite(ctx.db);
  const env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'faults',
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '3000',
  };
  services.push(...(await Promise.all([start('ingest', env), start('worker', env)])));
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await redis?.destroy();
  await ctx.cleanup();
});

describe('Redis killed while comments arrive', () => {
  it('answers 503 with Retry-After at once while Redis is away and processes every acknowledged comment after it restarts', async () => {
    const [ingest] = services as [RunningService];
    const before = postComments([ingest.url], 'faults', COUNT, { concurrency: 4, tag: 'before', delayMs: 20 });
    await eventually(
      async () =>
        (await ctx.db.selectFrom('comments').select('id').limit(20).execute()).length >= 20 ? true : undefined,
      {
        timeoutMs: 60_000,
      },
    );
    await redis.kill();
    const beforeResult = await before;

    // While Redis is away: a fast, honest 503 (no hang, no 202).
    const answers: Array<{ status: number; retryAfter: string | null; ms: number; code?: string }> = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      const res = await fetch(`${ingest.url}/v1/sites/faults/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          thread: { key: '/faults/down' },
          author: { name: 'Leser' },
          body: `Während Redis fehlt ${i}`,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = await res.json();
      answers.push({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        ms: Date.now() - t0,
        code: body.error?.code,
      });
    }
    expect(answers.every((a) => a.status === 503 && a.code === 'unavailable' && Number(a.retryAfter) > 0)).toBe(true);
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(slowest).toBeLessThan(5000);
    expect((await fetch(`${ingest.url}/readyz`)).status).toBe(503);

    await redis.start();
    // Ingest reconnects by itself and takes comments again.
    await eventually(async () => ((await fetch(`${ingest.url}/readyz`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
    });
    const after = await postComments([ingest.url], 'faults', 50, { concurrency: 4, tag: 'after' });

    const accepted = [...beforeResult.accepted, ...after.accepted];
    const counts = await drainAndTally(ctx.db, accepted, 120_000);
    recordScenario('Redis SIGKILLed (AOF, fsync always) while comments arrive, then restarted', {
      ...counts,
      acceptedBeforeCrash: beforeResult.accepted.length,
      refusedDuringCrash: beforeResult.refused,
      answersWhileDown: answers.length,
      slowest503Ms: slowest,
      acceptedAfterRestart: after.accepted.length,
    });
    expect(after.accepted).toHaveLength(50);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
  });
});
