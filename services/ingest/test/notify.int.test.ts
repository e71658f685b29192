import { createSiteCache } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, createBatchingProducer, createProducerConnection } from '@stammtisch/queue';
import { type TestContext, commentBody, createTestContext, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

let ctx: TestContext;
let redis: Redis;
let queue: Queue;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  redis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'blog' });
  // Connected before the first comment: on a loaded machine the first enqueue could otherwise time out (503).
  await queue.waitUntilReady();
  app = createApp({
    redis,
    producer: createBatchingProducer(queue),
    siteCache: createSiteCache(ctx.db),
    logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    registry: createMetricsRegistry('ingest-test'),
    readiness: [],
    keyPrefix: ctx.redisPrefix,
    rateLimitPerMinute: 1000,
    trustProxy: false,
    ipHashSecret: 'test-secret-test-secret',
  });
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
  await ctx.cleanup();
});

async function queued(body: unknown) {
  const res = await app.request('/v1/sites/blog/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  const { id } = await res.json();
  return CommentJob.parse((await queue.getJob(id))!.data);
}

describe('the "email me about replies" box', () => {
  it('carries notify: true into the job when the author left an email', async () => {
    expect((await queued(commentBody({ notify: true }))).notify).toBe(true);
  });

  it('drops notify without an email, and leaves it false when the box was not ticked', async () => {
    expect((await queued(commentBody({ notify: true, author: { name: 'Anna' } }))).notify).toBe(false);
    expect((await queued(commentBody())).notify).toBe(false);
  });

  it('answers 400 naming notify when it is not a boolean', async () => {
    const res = await app.request('/v1/sites/blog/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(commentBody({ notify: 'yes' })),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('notify');
  });
});
