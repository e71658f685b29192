import { createApiKey, createSiteCache, findWebhook, recordWebhookDelivery } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { commentEventId } from '@stammtisch/contract';
import { COMMENTS_QUEUE, EVENTS_QUEUE, createProducerConnection } from '@stammtisch/queue';
import { type TestContext, createTestContext, disableWebhook, makeComment, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { queueDecisionEvents } from './comment-events.js';
import { createReadCache } from '../reads/read-cache.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
let ctx: TestContext;
let redis: Redis;
let commentsQueue: Queue;
let eventsQueue: Queue;
let ownerKey: string;
let moderatorKey: string;
let otherOwnerKey: string;

/** The api app as main.ts builds it, with or without WEBHOOK_ALLOW_PRIVATE. */
function buildApp(webhookAllowPrivate: boolean) {
  const siteCache = createSiteCache(ctx.db);
  const readCache = createReadCache();
  const app = createApp({
    db: ctx.db,
    queue: commentsQueue,
    siteCache,
    readCache,
    logger: createLogger({ service: 'api-test', level: 'silent' }),
    registry: createMetricsRegistry('api-test'),
    readiness: [],
    adminKey: ADMIN_KEY,
    ipHashSecret: 'test-secret-test-secret',
    webhookAllowPrivate,
    onSiteChanged: async (siteId) => siteCache.invalidateSite(siteId),
    onDecided: (results) => queueDecisionEvents(eventsQueue, results),
  });
  return (path: string, init: { method?: string; key?: string; json?: unknown } = {}) => {
    const headers = new Headers();
    if (init.key) headers.set('authorization', `Bearer ${init.key}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return app.request(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
  };
}
let strict: ReturnType<typeof buildApp>;
let lenient: ReturnType<typeof buildApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  redis = createProducerConnection(ctx.redisUrl);
  commentsQueue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'blog' });
  await makeSite(ctx.db, { id: 'other' });
  ownerKey = (await createApiKey(ctx.db, { siteId: 'blog', role: 'owner' })).key;
  moderatorKey = (await createApiKey(ctx.db, { siteId: 'blog', role: 'moderator' })).key;
  otherOwnerKey = (await createApiKey(ctx.db, { siteId: 'other', role: 'owner' })).key;
  strict = buildApp(false);
  lenient = buildApp(true);
});

afterAll(async () => {
  await commentsQueue.close();
  await eventsQueue.close();
  await redis.quit();
  await ctx.cleanup();
});

async function createHook(url = 'http://127.0.0.1:9/hook', events = ['comment.approved', 'comment.held']) {
  const res = await lenient('/v1/admin/sites/blog/webhooks', { method: 'POST', key: ownerKey, json: { url, events } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string; enabled: boolean; events: string[] };
}

describe('webhook administration', () => {
  it('creates a webhook and answers 201 with its id and a whsec_ secret shown only then', async () => {
    const hook = await createHook();
    expect(hook.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(24);
    expect(hook.enabled).toBe(true);

    const list = await (await lenient('/v1/admin/sites/blog/webhooks', { key: ownerKey })).json();
    expect(list.webhooks.map((w: { id: string }) => w.id)).toContain(hook.id);
    const one = await (await lenient(`/v1/admin/webhooks/${hook.id}`, { key: ownerKey })).json();
    expect(one).toMatchObject({
      id: hook.id,
      site: 'blog',
      url: 'http://127.0.0.1:9/hook',
      events: ['comment.approved', 'comment.held'],
      enabled: true,
      disabledReason: null,
    });
    expect(JSON.stringify([list, one])).not.toContain(hook.secret);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
  ])('refuses %s with 400 invalid_request naming url unless WEBHOOK_ALLOW_PRIVATE is set', async (url) => {
    const res = await strict('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: ownerKey,
      json: { url, events: ['comment.approved'] },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details[0].path).toBe('url');
    expect(body.error.details[0].message).toMatch(/private|loopback/);
    const allowed = await lenient('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: ownerKey,
      json: { url, events: ['comment.approved'] },
    });
    expect(allowed.status).toBe(201);
  });

  it('refuses a URL that is not http(s), unknown events and an empty event list, naming each field', async () => {
    const res = await lenient('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: ownerKey,
      json: { url: 'ftp://example.org/x', events: ['comment.approved'] },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('url');
    const events = await lenient('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: ownerKey,
      json: { url: 'http://127.0.0.1/x', events: ['comment.approved', 'comment.liked'] },
    });
    expect(events.status).toBe(400);
    expect((await events.json()).error.details[0].path).toBe('events.1');
    const empty = await lenient('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: ownerKey,
      json: { url: 'http://127.0.0.1/x', events: [] },
    });
    expect((await empty.json()).error.details[0].path).toBe('events');
  });

  it("hides another site's webhooks (404) and keeps moderators out (403)", async () => {
    const hook = await createHook();
    expect((await lenient(`/v1/admin/webhooks/${hook.id}`, { key: otherOwnerKey })).status).toBe(404);
    expect((await lenient(`/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', key: otherOwnerKey })).status).toBe(404);
    expect((await lenient('/v1/admin/sites/blog/webhooks', { key: otherOwnerKey })).status).toBe(404);
    const asModerator = await lenient('/v1/admin/sites/blog/webhooks', {
      method: 'POST',
      key: moderatorKey,
      json: { url: 'http://127.0.0.1/x', events: ['comment.held'] },
    });
    expect(asModerator.status).toBe(403);
    expect((await lenient(`/v1/admin/webhooks/${hook.id}`, { key: ADMIN_KEY })).status).toBe(200);
  });

  it('rotates the secret: a new secret, and the old one still signs for 24 hours', async () => {
    const hook = await createHook();
    const res = await lenient(`/v1/admin/webhooks/${hook.id}/rotate-secret`, { method: 'POST', key: ownerKey });
    expect(res.status).toBe(200);
    const rotated = await res.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    const grace = Date.parse(rotated.previousSecretExpiresAt) - Date.now();
    expect(grace).toBeGreaterThan(23 * 3600 * 1000);
    expect(grace).toBeLessThanOrEqual(24 * 3600 * 1000);
    const row = await findWebhook(ctx.db, hook.id);
    expect({ secret: row?.secret, previousSecret: row?.previousSecret }).toEqual({
      secret: rotated.secret,
      previousSecret: hook.secret,
    });
  });

  it('shows a disabled webhook with its reason and re-enables it by PATCH or POST …/enable', async () => {
    const hook = await createHook();
    await disableWebhook(ctx.db, hook.id, {
      reason: '5 deliveries in a row failed after every retry',
      consecutiveFailures: 5,
    });
    const shown = await (await lenient(`/v1/admin/webhooks/${hook.id}`, { key: ownerKey })).json();
    expect(shown).toMatchObject({
      enabled: false,
      disabledReason: '5 deliveries in a row failed after every retry',
      consecutiveFailures: 5,
    });
    const patched = await (
      await lenient(`/v1/admin/webhooks/${hook.id}`, { method: 'PATCH', key: ownerKey, json: { enabled: true } })
    ).json();
    expect(patched).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });

    await disableWebhook(ctx.db, hook.id, { reason: 'x' });
    const enabled = await (
      await lenient(`/v1/admin/webhooks/${hook.id}/enable`, { method: 'POST', key: ownerKey })
    ).json();
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
    // A PATCH to a private URL is checked like a new one.
    const privateUrl = await strict(`/v1/admin/webhooks/${hook.id}`, {
      method: 'PATCH',
      key: ownerKey,
      json: { url: 'http://127.0.0.1/x' },
    });
    expect(privateUrl.status).toBe(400);
  });

  it('lists the delivery log, newest first, with status, response code and attempts', async () => {
    const hook = await createHook();
    await recordWebhookDelivery(ctx.db, {
      webhookId: hook.id,
      eventId: 'msg_approved_a',
      eventType: 'comment.approved',
      payload: '{}',
    });
    const res = await lenient(`/v1/admin/webhooks/${hook.id}/deliveries`, { key: ownerKey });
    expect(res.status).toBe(200);
    const { deliveries } = await res.json();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      eventId: 'msg_approved_a',
      type: 'comment.approved',
      status: 'pending',
      attempts: 0,
      responseCode: null,
    });
  });

  it('deletes a webhook: 204, then 404', async () => {
    const hook = await createHook();
    expect((await lenient(`/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', key: ownerKey })).status).toBe(204);
    expect((await lenient(`/v1/admin/webhooks/${hook.id}`, { key: ownerKey })).status).toBe(404);
  });
});

describe('events from moderator decisions', () => {
  it('queues comment.approved, comment.rejected and comment.spam with ids derived from the moderation event', async () => {
    const cases = [
      ['approve', 'comment.approved'],
      ['reject', 'comment.rejected'],
      ['spam', 'comment.spam'],
    ] as const;
    for (const [action, type] of cases) {
      const { id } = await makeComment(ctx.db, {
        siteId: 'blog',
        threadKey: '/moderiert',
        status: action === 'approve' ? 'pending' : 'approved',
      });
      const res = await lenient(`/v1/moderation/comments/${id}/decision`, {
        method: 'POST',
        key: moderatorKey,
        json: { action },
      });
      expect(res.status).toBe(200);
      const { eventId } = await res.json();
      const job = await eventsQueue.getJob(commentEventId(type, id, `mod${eventId}`));
      expect(job?.data).toMatchObject({ type, siteId: 'blog', commentId: id });
    }
  });
});

describe('site settings for moderator notices', () => {
  it('accepts notifyEmails and refuses addresses that are not addresses', async () => {
    const ok = await lenient('/v1/admin/sites/blog', {
      method: 'PATCH',
      key: ownerKey,
      json: { settings: { notifyEmails: ['Mod@Blog.example'] } },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).settings.notifyEmails).toEqual(['mod@blog.example']);
    const bad = await lenient('/v1/admin/sites/blog', {
      method: 'PATCH',
      key: ownerKey,
      json: { settings: { notifyEmails: ['not an address'] } },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0].path).toBe('settings.notifyEmails.0');
  });

  it('answers an unknown confirm or unsubscribe token with 404', async () => {
    expect((await lenient('/v1/email/confirm?token=nope')).status).toBe(404);
    expect((await lenient('/v1/email/unsubscribe?token=nope')).status).toBe(404);
  });
});
