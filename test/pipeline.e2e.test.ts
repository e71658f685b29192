import {
  type RunningService,
  type TestContext,
  createTestContext,
  eventually,
  startService,
} from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The whole path as a reader and a site owner see it: three real processes,
// real Postgres and Redis, nothing in memory shared with the test.

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
let ctx: TestContext;
let ingest: RunningService;
let worker: RunningService;
let api: RunningService;

beforeAll(async () => {
  ctx = await createTestContext();
  const env = { DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: ctx.redisPrefix, ADMIN_KEY };
  [ingest, worker, api] = await Promise.all([
    startService('ingest', env),
    startService('worker', env),
    startService('api', env),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all([ingest, worker, api].map((s) => s?.stop()));
  await ctx.cleanup();
});

describe('the comment pipeline, end to end', () => {
  it('creates a site through the admin API, takes a comment at ingest, and shows it in the read API', async () => {
    const created = await fetch(`${api.url}/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'e2e', name: 'E2E-Blog', origins: ['https://blog.example'], moderation: 'post' }),
    });
    expect(created.status).toBe(201);

    const thread = '/2012/03/kleine-fluchten';
    const posted = await fetch(`${ingest.url}/v1/sites/e2e/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://blog.example' },
      body: JSON.stringify({
        thread: { key: thread, url: 'https://blog.example/2012/03/kleine-fluchten', title: 'Kleine Fluchten' },
        author: { name: 'Anna', email: 'anna@example.org' },
        body: 'Heute Mittag ohne Handy im Park gesessen. *Herrlich.*',
        renderedAt: Date.now() - 30_000,
      }),
    });
    expect(posted.status).toBe(202);
    const { id } = await posted.json();

    const visible = await eventually(
      async () => {
        const res = await fetch(`${api.url}/v1/sites/e2e/threads/${encodeURIComponent(thread)}/comments`);
        const body = await res.json();
        return body.comments.find((c: { id: string }) => c.id === id);
      },
      { message: 'comment never became visible' },
    );
    expect(visible.html).toBe('<p>Heute Mittag ohne Handy im Park gesessen. <em>Herrlich.</em></p>');
    // The avatar is made by the api from a keyed hash of the email: no email in it, no third-party request.
    expect(visible.author).toEqual({
      name: 'Anna',
      url: null,
      avatar: expect.stringMatching(/^\/v1\/avatars\/[0-9a-f]{32}\.png$/),
    });
    expect(await (await fetch(`${api.url}/v1/sites/e2e/comments/${id}`)).json()).toEqual({ id, status: 'approved' });
    const counts = await (await fetch(`${api.url}/v1/sites/e2e/counts?thread=${encodeURIComponent(thread)}`)).json();
    expect(counts).toEqual({ counts: { [thread]: 1 } });
  });

  it('answers health, readiness and metrics on every service', async () => {
    for (const service of [ingest, worker, api]) {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('process_cpu_user_seconds_total');
    }
  });

  it('exits cleanly on SIGTERM', async () => {
    const env = { DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: ctx.redisPrefix, ADMIN_KEY };
    const extra = await startService('ingest', env);
    expect(await extra.stop('SIGTERM')).toBe(0);
  });
});
