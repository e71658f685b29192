import { createSiteCache } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { COMMENTS_QUEUE, createBatchingProducer, createProducerConnection } from '@stammtisch/queue';
import { type TestContext, commentBody, createTestContext, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

// Limits on everything a stranger controls: sizes, lengths, rates; and the
// headers every answer carries.

let ctx: TestContext;
let queue: Queue;
let redis: Redis;

function buildApp(options: { rateLimitPerMinute?: number; siteRateLimitPerMinute?: number } = {}) {
  return createApp({
    redis,
    producer: createBatchingProducer(queue),
    siteCache: createSiteCache(ctx.db),
    logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    registry: createMetricsRegistry('ingest-test'),
    readiness: [],
    keyPrefix: ctx.redisPrefix,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1000,
    siteRateLimitPerMinute: options.siteRateLimitPerMinute,
    trustProxy: true,
    ipHashSecret: 'test-secret-test-secret',
  });
}

function post(app: ReturnType<typeof buildApp>, siteId: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(`/v1/sites/${siteId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  redis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'grenzen', origins: ['https://blog.example'] });
  await makeSite(ctx.db, {
    id: 'flut',
    origins: ['*'],
    settings: { rateLimitPerMinute: 0, siteRateLimitPerMinute: 3 },
  });
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
  await ctx.cleanup();
});

describe('size and length limits', () => {
  it('answers 413 payload_too_large for a body over 64 KiB', async () => {
    const res = await post(buildApp(), 'grenzen', commentBody({ body: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it.each([
    ['body', { body: 'x'.repeat(10_001) }],
    ['author.name', { author: { name: 'N'.repeat(81) } }],
    ['author.email', { author: { name: 'N', email: `${'e'.repeat(250)}@example.org` } }],
    ['author.url', { author: { name: 'N', url: `https://example.org/${'u'.repeat(2048)}` } }],
    ['thread.key', { thread: { key: `/${'k'.repeat(512)}` } }],
    ['thread.title', { thread: { key: '/k', title: 'T'.repeat(301) } }],
    ['hp', { hp: 'h'.repeat(1001) }],
  ])('answers 400 naming %s when it is too long', async (path, override) => {
    const res = await post(buildApp(), 'grenzen', commentBody(override));
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('answers 400 for an Idempotency-Key over 100 characters', async () => {
    const res = await post(buildApp(), 'grenzen', commentBody(), { 'idempotency-key': 'i'.repeat(101) });
    expect(res.status).toBe(400);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await post(buildApp(), 'grenzen', 'body=hallo', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once one client IP is over its limit for the site', async () => {
    const app = buildApp({ rateLimitPerMinute: 2 });
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    expect((await post(app, 'grenzen', commentBody({ body: 'eins' }), headers)).status).toBe(202);
    expect((await post(app, 'grenzen', commentBody({ body: 'zwei' }), headers)).status).toBe(202);
    const limited = await post(app, 'grenzen', commentBody({ body: 'drei' }), headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('rate_limited');
    // Another client is not affected.
    expect(
      (await post(app, 'grenzen', commentBody({ body: 'vier' }), { 'x-forwarded-for': '203.0.113.8' })).status,
    ).toBe(202);
  });

  it('answers 429 with Retry-After once the whole site is over its per-minute cap, whatever the client addresses', async () => {
    const app = buildApp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await post(app, 'flut', commentBody({ body: `Flut ${i}` }), { 'x-forwarded-for': `198.51.100.${i}` })).status,
      );
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await post(app, 'flut', commentBody({ body: 'noch einer' }), {
      'x-forwarded-for': '198.51.100.99',
    });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('headers and CORS', () => {
  it('sends nosniff, a referrer policy and frame rules on every answer, success or error', async () => {
    const app = buildApp();
    const answers = [
      await post(app, 'grenzen', commentBody({ body: 'Kopfzeilen' })),
      await post(app, 'grenzen', { body: '' }),
      await post(app, 'gibtsnicht', commentBody()),
      await app.request('/healthz'),
      await app.request('/nirgends'),
    ];
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBeTruthy();
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('allows only the origins a site lists and never reflects another', async () => {
    const app = buildApp();
    const good = await post(app, 'grenzen', commentBody({ body: 'von der Seite' }), { origin: 'https://blog.example' });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://blog.example');
    const evil = await post(app, 'grenzen', commentBody({ body: 'von woanders' }), { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/v1/sites/grenzen/comments', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
