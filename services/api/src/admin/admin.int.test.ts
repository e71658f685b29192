import { findKey, hashApiKey } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

const site = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Blog ${id}`,
  origins: ['https://blog.example'],
  moderation: 'auto',
  ...extra,
});

describe('sites', () => {
  it('lets the bootstrap admin key create, read, update and delete a site', async () => {
    const created = await api.request('/v1/admin/sites', {
      method: 'POST',
      key: ADMIN_KEY,
      json: site('kiosk', { settings: { maxLinks: 1 } }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'kiosk', moderation: 'auto', settings: { maxLinks: 1 } });

    const patched = await api.request('/v1/admin/sites/kiosk', {
      method: 'PATCH',
      key: ADMIN_KEY,
      json: { moderation: 'pre', settings: { requireEmail: true } },
    });
    expect(patched.status).toBe(200);
    // Settings merge: the earlier maxLinks stays.
    expect(await patched.json()).toMatchObject({ moderation: 'pre', settings: { maxLinks: 1, requireEmail: true } });

    expect((await api.request('/v1/admin/sites/kiosk', { key: ADMIN_KEY })).status).toBe(200);
    expect((await api.request('/v1/admin/sites/kiosk', { method: 'DELETE', key: ADMIN_KEY })).status).toBe(204);
    expect((await api.request('/v1/admin/sites/kiosk', { key: ADMIN_KEY })).status).toBe(404);
  });

  it('refuses unknown settings, bad origins and a bad id with 400 naming each field', async () => {
    const res = await api.request('/v1/admin/sites', {
      method: 'POST',
      key: ADMIN_KEY,
      json: site('Bad Id!', {
        origins: ['https://blog.example/path'],
        settings: { maxLink: 3, thresholds: { hold: 0.95, spam: 0.9 } },
      }),
    });
    expect(res.status).toBe(400);
    const paths = (await res.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'origins.0', 'settings', 'settings.thresholds.hold']));
  });

  it('answers 409 for a site id that is taken', async () => {
    await api.request('/v1/admin/sites', { method: 'POST', key: ADMIN_KEY, json: site('taken') });
    const again = await api.request('/v1/admin/sites', { method: 'POST', key: ADMIN_KEY, json: site('taken') });
    expect(again.status).toBe(409);
  });

  it('answers 401 without a key or with an unknown one', async () => {
    const none = await api.request('/v1/admin/sites');
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await api.request('/v1/admin/sites', { key: 'stk_nonsense' })).status).toBe(401);
  });
});

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('keys', () => {
  it('shows a new key once, stores only its hash, and lets it act on its own site only', async () => {
    await api.request('/v1/admin/sites', { method: 'POST', key: ADMIN_KEY, json: site('eigen') });
    await api.request('/v1/admin/sites', { method: 'POST', key: ADMIN_KEY, json: site('fremd') });
    const res = await api.request('/v1/admin/sites/eigen/keys', {
      method: 'POST',
      key: ADMIN_KEY,
      json: { role: 'owner' },
    });
    expect(res.status).toBe(201);
    const { id, key } = await res.json();
    expect(key).toMatch(/^stk_[A-Za-z0-9_-]{43}$/);

    const stored = await findKey(ctx.db, id);
    expect(stored?.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    const listed = await (await api.request('/v1/admin/sites/eigen/keys', { key })).json();
    expect(JSON.stringify(listed)).not.toContain(key);
    // The list shows the key's prefix and dates, never the secret or its hash.
    expect(listed.keys).toEqual([
      { id, role: 'owner', prefix: key.slice(0, 10), createdAt: expect.stringMatching(ISO_TIME), revokedAt: null },
    ]);

    expect((await api.request('/v1/admin/sites/eigen', { key })).status).toBe(200);
    // Another site's objects read as missing, not forbidden.
    expect((await api.request('/v1/admin/sites/fremd', { key })).status).toBe(404);
    // Only the admin creates sites.
    expect((await api.request('/v1/admin/sites', { method: 'POST', key, json: site('neu') })).status).toBe(403);
    const visible = await (await api.request('/v1/admin/sites', { key })).json();
    expect(visible.sites.map((s: { id: string }) => s.id)).toEqual(['eigen']);
  });

  it('revokes a key at once', async () => {
    const { id, key } = await (
      await api.request('/v1/admin/sites/eigen/keys', { method: 'POST', key: ADMIN_KEY, json: { role: 'moderator' } })
    ).json();
    expect((await api.request('/v1/moderation/queue?site=eigen', { key })).status).toBe(200);
    expect((await api.request(`/v1/admin/keys/${id}`, { method: 'DELETE', key: ADMIN_KEY })).status).toBe(204);
    expect((await api.request('/v1/moderation/queue?site=eigen', { key })).status).toBe(401);
  });

  it('does not let a moderator key manage keys or settings', async () => {
    const { key } = await (
      await api.request('/v1/admin/sites/eigen/keys', { method: 'POST', key: ADMIN_KEY, json: { role: 'moderator' } })
    ).json();
    expect(
      (await api.request('/v1/admin/sites/eigen/keys', { method: 'POST', key, json: { role: 'owner' } })).status,
    ).toBe(403);
    expect(
      (await api.request('/v1/admin/sites/eigen', { method: 'PATCH', key, json: { moderation: 'post' } })).status,
    ).toBe(403);
  });
});

describe('stats', () => {
  it('counts the site’s comments by status and reports the queue', async () => {
    await api.request('/v1/admin/sites', { method: 'POST', key: ADMIN_KEY, json: site('zahlen') });
    await makeComment(ctx.db, { siteId: 'zahlen', threadKey: '/a' });
    await makeComment(ctx.db, { siteId: 'zahlen', threadKey: '/a', status: 'pending' });
    await makeComment(ctx.db, { siteId: 'zahlen', threadKey: '/a', status: 'spam' });
    const res = await api.request('/v1/admin/sites/zahlen/stats', { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    const stats = await res.json();
    expect(stats.comments).toEqual({ approved: 1, pending: 1, spam: 1, rejected: 0 });
    expect(stats.queue).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      failed: expect.any(Number),
    });
  });
});
