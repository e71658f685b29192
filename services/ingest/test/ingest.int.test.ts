import { commentExistsOnSite, createDatabase, findOrCreateThread, setThreadClosed } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, createBatchingProducer, createProducerConnection } from '@stammtisch/queue';
import { type TestContext, commentBody, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { type SiteCache, createSiteCache } from '@stammtisch/db';

let ctx: TestContext;
let queue: Queue;
let producerRedis: Redis;

function buildApp(
  overrides: { redis?: Redis; queue?: Queue; rateLimitPerMinute?: number; siteCache?: SiteCache } = {},
) {
  const redis = overrides.redis ?? producerRedis;
  return createApp({
    redis,
    producer: createBatchingProducer(overrides.queue ?? queue),
    siteCache: overrides.siteCache ?? createSiteCache(ctx.db),
    logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    registry: createMetricsRegistry('ingest-test'),
    readiness: [{ name: 'redis', check: () => redis.ping() }],
    keyPrefix: ctx.redisPrefix,
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? 1000,
    trustProxy: true,
    ipHashSecret: 'test-secret-test-secret',
    commentExists: (siteId, commentId) => commentExistsOnSite(ctx.db, siteId, commentId),
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
  producerRedis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: producerRedis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'blog', origins: ['https://blog.example'] });
  await makeSite(ctx.db, { id: 'open', origins: ['*'] });
});

afterAll(async () => {
  await queue.close();
  await producerRedis.quit();
  await ctx.cleanup();
});

describe('POST /v1/sites/{siteId}/comments', () => {
  it('answers 202 with a UUID v7 id only once the job is in Redis, with that id as jobId', async () => {
    const res = await post(buildApp(), 'blog', commentBody());
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.status).toBe('pending');
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const job = await queue.getJob(body.id);
    expect(job).toBeDefined();
    const data = CommentJob.parse(job!.data);
    expect(data.author.name).toBe('Anna');
    expect(data.thread.key).toBe('/2012/03/kleine-fluchten');
    expect(data.ipHash).toBeTruthy();
    expect(JSON.stringify(job!.data)).not.toContain('127.0.0.1');
  });

  it('answers 400 invalid_json when the body does not parse', async () => {
    const res = await post(buildApp(), 'blog', '{"thread": ');
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_json');
    expect(error.requestId).toMatch(/^req_/);
  });

  it('answers 400 invalid_request listing every failing field by path', async () => {
    const res = await post(buildApp(), 'blog', {
      thread: { key: '' },
      author: { name: '   ', email: 'not-an-email', url: 'javascript:alert(1)' },
      body: '',
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_request');
    const paths = error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['author.email', 'author.name', 'author.url', 'body', 'thread.key']);
  });

  it('refuses fields over their limits and NUL characters with the field named', async () => {
    const res = await post(
      buildApp(),
      'blog',
      commentBody({ author: { name: 'x'.repeat(81) }, body: 'a\u0000b', thread: { key: 'k'.repeat(513) } }),
    );
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'author.name', message: 'must be at most 80 characters' },
        { path: 'body', message: 'must not contain NUL characters' },
        { path: 'thread.key', message: 'must be at most 512 characters' },
      ]),
    );
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const res = await post(buildApp(), 'nope', commentBody());
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('site_not_found');
  });

  it('answers 403 origin_not_allowed for a browser origin the site does not list', async () => {
    const res = await post(buildApp(), 'blog', commentBody(), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('origin_not_allowed');
  });

  it('answers CORS preflight for a listed origin and echoes it, and allows any origin on a "*" site', async () => {
    const app = buildApp();
    const preflight = await app.request('/v1/sites/blog/comments', {
      method: 'OPTIONS',
      headers: { origin: 'https://blog.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://blog.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const refused = await app.request('/v1/sites/blog/comments', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    const open = await post(app, 'open', commentBody(), { origin: 'https://anywhere.example' });
    expect(open.status).toBe(202);
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 413 payload_too_large for a body over 64 KiB', async () => {
    const res = await post(buildApp(), 'blog', commentBody({ body: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers 415 unsupported_media_type when the body is not JSON', async () => {
    const res = await buildApp().request('/v1/sites/blog/comments', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('unsupported_media_type');
  });

  it('answers 409 thread_closed for a closed thread', async () => {
    await findOrCreateThread(ctx.db, { siteId: 'blog', key: '/closed' });
    await setThreadClosed(ctx.db, 'blog', '/closed', true);
    const res = await post(buildApp(), 'blog', commentBody({ thread: { key: '/closed' } }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('thread_closed');
  });

  it('answers 429 rate_limited with Retry-After once a client IP passes the per-minute limit', async () => {
    const app = buildApp({ rateLimitPerMinute: 2 });
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    expect((await post(app, 'blog', commentBody(), headers)).status).toBe(202);
    expect((await post(app, 'blog', commentBody(), headers)).status).toBe(202);
    const limited = await post(app, 'blog', commentBody(), headers);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another reader is not affected.
    expect((await post(app, 'blog', commentBody(), { 'x-forwarded-for': '203.0.113.10' })).status).toBe(202);
  });

  it('answers 503 unavailable with Retry-After, never a 202, when Redis is down', async () => {
    const deadRedis = createProducerConnection('redis://127.0.0.1:1', { retryStrategy: () => null, lazyConnect: true });
    deadRedis.on('error', () => {});
    const deadQueue = new Queue(COMMENTS_QUEUE, { connection: deadRedis, prefix: ctx.redisPrefix });
    deadQueue.on('error', () => {});
    const started = Date.now();
    const res = await post(buildApp({ redis: deadRedis, queue: deadQueue }), 'blog', commentBody());
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(3000);
    deadRedis.disconnect();
  });

  it('returns the first answer for a retry with the same Idempotency-Key and queues nothing new', async () => {
    const app = buildApp();
    const headers = { 'idempotency-key': 'submit-42' };
    const first = await (await post(app, 'blog', commentBody(), headers)).json();
    const waitingBefore = await queue.getWaitingCount();
    const second = await post(app, 'blog', commentBody({ body: 'a double click' }), headers);
    expect(second.status).toBe(202);
    expect((await second.json()).id).toBe(first.id);
    expect(await queue.getWaitingCount()).toBe(waitingBefore);
  });

  it('keeps accepting comments for a known site while Postgres is away, and answers 503 for a site it never saw', async () => {
    // The cache reads through a handle we can point at a Postgres that is not there.
    const deadDb = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    let current = ctx.db;
    const switchable = new Proxy(ctx.db, {
      get: (_target, prop) => {
        const value = Reflect.get(current, prop);
        return typeof value === 'function' ? value.bind(current) : value;
      },
    });
    const siteCache = createSiteCache(switchable, { ttlMs: 0 });
    const app = buildApp({ siteCache });
    expect((await post(app, 'blog', commentBody())).status).toBe(202);

    current = deadDb;
    const whileDown = await post(app, 'blog', commentBody({ body: 'Geschrieben, während die Datenbank schläft.' }));
    expect(whileDown.status).toBe(202);
    expect(await queue.getJob((await whileDown.json()).id)).toBeDefined();

    const unknown = await post(app, 'open', commentBody());
    expect(unknown.status).toBe(503);
    expect((await unknown.json()).error.code).toBe('unavailable');
    await deadDb.destroy();
  });
});

describe('POST /v1/sites/{siteId}/comments/{id}/reports', () => {
  const report = (siteId: string, commentId: string) =>
    buildApp().request(`/v1/sites/${siteId}/comments/${commentId}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'spam', note: 'Werbung' }),
    });

  it('queues a reader report and answers 202', async () => {
    const comment = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/gemeldet' });
    const res = await report('blog', comment.id);
    expect(res.status).toBe(202);
    const reports = (await queue.getJobs(['waiting'])).filter(
      (job) => job.name === 'report' && job.data.commentId === comment.id,
    );
    expect(reports).toHaveLength(1);
  });

  it('answers 404 comment_not_found for a comment id that does not exist, or is on another site, and queues nothing', async () => {
    const unknown = await report('blog', '0192f0c4-0000-7000-8000-000000000001');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('comment_not_found');
    const elsewhere = await makeComment(ctx.db, { siteId: 'open', threadKey: '/anderswo' });
    const foreign = await report('blog', elsewhere.id);
    expect(foreign.status).toBe(404);
    const queued = (await queue.getJobs(['waiting'])).filter(
      (job) => job.name === 'report' && job.data.commentId !== undefined,
    );
    expect(queued.map((job) => job.data.commentId)).not.toContain('0192f0c4-0000-7000-8000-000000000001');
    expect(queued.map((job) => job.data.commentId)).not.toContain(elsewhere.id);
  });

  it('answers 400 with the field for an unknown reason', async () => {
    const res = await buildApp().request('/v1/sites/blog/comments/0192f0c4-0000-7000-8000-000000000001/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'boring' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('reason');
  });
});

describe('operations', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    const app = buildApp();
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain('http_requests_total');
  });
});
