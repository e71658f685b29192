import { createSiteCache, findComment, findThread } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { editTokenFor, signCommenterToken } from '@stammtisch/comments';
import { EditJob, JOB_NAMES } from '@stammtisch/contract';
import { INGEST_ROUTES } from '@stammtisch/contract/http';
import { COMMENTS_QUEUE, createBatchingProducer, createProducerConnection } from '@stammtisch/queue';
import {
  type TestContext,
  commentBody,
  createTestContext,
  makeComment,
  makeSite,
  setCommentAuthor,
} from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

const SECRET = 'test-secret-test-secret';
const TOKEN_SECRET = 'test-commenter-token-secret-0123456789abcdef';
let ctx: TestContext;
let queue: Queue;
let redis: Redis;
let app: ReturnType<typeof createApp>;
let ipSerial = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  redis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'up' });
  await makeSite(ctx.db, { id: 'updown', settings: { votes: 'updown' } });
  await makeSite(ctx.db, { id: 'novotes', settings: { votes: 'off' } });
  await makeSite(ctx.db, { id: 'noedit', settings: { editWindowMinutes: 0 } });
  app = createApp({
    db: ctx.db,
    redis,
    producer: createBatchingProducer(queue),
    siteCache: createSiteCache(ctx.db),
    logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    registry: createMetricsRegistry('ingest-test'),
    readiness: [],
    keyPrefix: ctx.redisPrefix,
    rateLimitPerMinute: 1000,
    trustProxy: true,
    ipHashSecret: SECRET,
    commenterTokenSecret: TOKEN_SECRET,
  });
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
  await ctx.cleanup();
});

/** Each reader comes from its own address unless the test says otherwise. */
function call(
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string>; ip?: string } = {},
) {
  return app.request(path, {
    method,
    headers: {
      'x-forwarded-for': options.ip ?? `10.0.${Math.floor(++ipSerial / 250)}.${ipSerial % 250}`,
      ...(options.json !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
}

const vote = (site: string, id: string, value: number, headers: Record<string, string> = {}, ip?: string) =>
  call('POST', `/v1/sites/${site}/comments/${id}/votes`, { json: { value }, headers, ip });
const commenterToken = (sub: string, site = 'up') =>
  signCommenterToken({ sub, iss: 'https://accounts.example', site, name: 'Clara', provider: 'Google' }, TOKEN_SECRET);

describe('POST /v1/sites/{siteId}/comments/{id}/votes', () => {
  it('counts one vote per reader: a voter token is handed out, voting again changes nothing, 0 takes it back', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v' });
    const first = await vote('up', id, 1);
    expect(first.status).toBe(200);
    const token = first.headers.get('x-voter-token')!;
    expect(token).toMatch(/^vt_/);
    expect(await first.json()).toEqual({ up: 1, down: 0, voterToken: token });
    const again = await vote('up', id, 1, { 'x-voter-token': token });
    expect(again.headers.get('x-voter-token')).toBeNull();
    expect(await again.json()).toEqual({ up: 1, down: 0 });
    expect(await (await vote('up', id, 1)).json()).toMatchObject({ up: 2, down: 0 });
    expect(await (await vote('up', id, 0, { 'x-voter-token': token })).json()).toEqual({ up: 1, down: 0 });
  });

  it('does not take a voter token it never issued', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v' });
    const forged = await vote('up', id, 1, { 'x-voter-token': `vt_${'a'.repeat(22)}.${'b'.repeat(22)}` });
    expect(forged.headers.get('x-voter-token')).toMatch(/^vt_/);
    expect(forged.headers.get('x-voter-token')).not.toBe(`vt_${'a'.repeat(22)}.${'b'.repeat(22)}`);
  });

  it('counts a signed-in reader once by identity, whatever voter token the browser holds', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v' });
    const auth = { authorization: `Bearer ${await commenterToken('clara')}` };
    expect(await (await vote('up', id, 1, auth)).json()).toEqual({ up: 1, down: 0 });
    expect(await (await vote('up', id, 1, auth)).json()).toEqual({ up: 1, down: 0 });
    const bad = await vote('up', id, 1, { authorization: 'Bearer nonsense' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('invalid_token');
  });

  it('takes down-votes only where the site has updown, and none where votes are off', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v' });
    const down = await vote('up', id, -1);
    expect(down.status).toBe(400);
    expect((await down.json()).error.details[0].path).toBe('value');
    const other = await makeComment(ctx.db, { siteId: 'updown', threadKey: '/v' });
    expect(await (await vote('updown', other.id, -1)).json()).toMatchObject({ up: 0, down: 1 });
    const off = await makeComment(ctx.db, { siteId: 'novotes', threadKey: '/v' });
    const refused = await vote('novotes', off.id, 1);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('votes_disabled');
    expect((await vote('up', id, 2)).status).toBe(400);
  });

  it('answers 404 comment_not_found for an unknown, unpublished or other-site comment', async () => {
    const held = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v', status: 'pending' });
    const elsewhere = await makeComment(ctx.db, { siteId: 'updown', threadKey: '/v' });
    for (const id of [held.id, elsewhere.id, '01930000-0000-7000-8000-0000000000aa']) {
      const res = await vote('up', id, 1);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('comment_not_found');
    }
  });

  it('hands one address only a few new voter tokens a minute', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/v' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await vote('up', id, 1, {}, '192.0.2.77')).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('the writer edits and deletes their comment', () => {
  it('answers a new comment with an editToken derived from its id', async () => {
    const res = await call('POST', '/v1/sites/up/comments', { json: commentBody() });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.editToken).toBe(editTokenFor(body.id, SECRET));
  });

  it('queues an edit with the edit token (202), for the spam checks to decide', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/e' });
    const res = await call('PATCH', `/v1/sites/up/comments/${id}`, {
      json: { body: 'Korrigiert.' },
      headers: { 'x-edit-token': editTokenFor(id, SECRET) },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id, status: 'pending' });
    const jobs = (await queue.getJobs(['waiting'])).filter((j) => j.name === JOB_NAMES.edit);
    const job = EditJob.parse(jobs.find((j) => (j.data as EditJob).commentId === id)!.data);
    expect(job).toMatchObject({ commentId: id, siteId: 'up', body: 'Korrigiert.' });
  });

  it('lets the signed-in author edit without a token, and nobody else', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/e' });
    await setCommentAuthor(ctx.db, id, {
      identity: { provider: 'Google', issuer: 'https://accounts.example', subject: 'clara' },
    });
    const edit = (headers: Record<string, string>) =>
      call('PATCH', `/v1/sites/up/comments/${id}`, { json: { body: 'Neu' }, headers });
    expect((await edit({ authorization: `Bearer ${await commenterToken('clara')}` })).status).toBe(202);
    const other = await edit({ authorization: `Bearer ${await commenterToken('mallory')}` });
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('forbidden');
  });

  it('refuses a wrong or missing token (403), an unknown comment (404), an empty body (400)', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/e' });
    const other = await makeComment(ctx.db, { siteId: 'up', threadKey: '/e' });
    const wrong = await call('PATCH', `/v1/sites/up/comments/${id}`, {
      json: { body: 'x' },
      headers: { 'x-edit-token': editTokenFor(other.id, SECRET) },
    });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('forbidden');
    expect((await call('DELETE', `/v1/sites/up/comments/${id}`)).status).toBe(403);
    const unknown = '01930000-0000-7000-8000-0000000000cc';
    const missing = await call('DELETE', `/v1/sites/up/comments/${unknown}`, {
      headers: { 'x-edit-token': editTokenFor(unknown, SECRET) },
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('comment_not_found');
    const empty = await call('PATCH', `/v1/sites/up/comments/${id}`, {
      json: { body: '  ' },
      headers: { 'x-edit-token': editTokenFor(id, SECRET) },
    });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.details[0].path).toBe('body');
  });

  it('refuses edits and deletions after the window (409 edit_window_closed), and on a site that allows none', async () => {
    const old = await makeComment(ctx.db, {
      siteId: 'up',
      threadKey: '/e',
      createdAt: new Date(Date.now() - 16 * 60_000),
    });
    const headers = { 'x-edit-token': editTokenFor(old.id, SECRET) };
    const late = await call('PATCH', `/v1/sites/up/comments/${old.id}`, { json: { body: 'zu spät' }, headers });
    expect(late.status).toBe(409);
    expect((await late.json()).error.code).toBe('edit_window_closed');
    expect((await call('DELETE', `/v1/sites/up/comments/${old.id}`, { headers })).status).toBe(409);
    const fresh = await makeComment(ctx.db, { siteId: 'noedit', threadKey: '/e' });
    const none = await call('DELETE', `/v1/sites/noedit/comments/${fresh.id}`, {
      headers: { 'x-edit-token': editTokenFor(fresh.id, SECRET) },
    });
    expect(none.status).toBe(409);
  });

  it('deletes with 204: the comment leaves the thread count, and a second delete is 404', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'up', threadKey: '/d' });
    const count = async () => (await findThread(ctx.db, 'up', '/d'))?.approvedCount;
    expect(await count()).toBe(1);
    const headers = { 'x-edit-token': editTokenFor(id, SECRET) };
    const res = await call('DELETE', `/v1/sites/up/comments/${id}`, { headers });
    expect(res.status).toBe(204);
    expect((await findComment(ctx.db, id))?.deletedAt).toBeInstanceOf(Date);
    expect(await count()).toBe(0);
    expect((await call('DELETE', `/v1/sites/up/comments/${id}`, { headers })).status).toBe(404);
  });

  it('answers the browser preflight with the methods and headers the widget sends', async () => {
    const res = await app.request('/v1/sites/up/comments/01930000-0000-7000-8000-0000000000aa', {
      method: 'OPTIONS',
      headers: { origin: 'https://blog.example', 'access-control-request-method': 'PATCH' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Edit-Token');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://blog.example');
  });
});

describe('declarations', () => {
  it('serves exactly the public writes declared in @stammtisch/contract, which the api lists in /openapi.json', () => {
    const ops = new Set(['/healthz', '/readyz', '/metrics']);
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && !ops.has(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const declared = INGEST_ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect([...new Set(served)].sort()).toEqual([...declared].sort());
  });
});
