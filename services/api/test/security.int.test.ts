import { randomUUID } from 'node:crypto';
import { createApiKey } from '@stammtisch/db';
import { type TestContext, commentRow, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from './helpers.js';

// Headers every answer carries, CORS that never opens authenticated endpoints
// to other origins, list and page limits, and the moderation session cookie.

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let owner: string;
const thread = encodeURIComponent('/sicher');

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await makeSite(ctx.db, { id: 'sicher' });
  await makeComment(ctx.db, { siteId: 'sicher', threadKey: '/sicher' });
  owner = (await createApiKey(ctx.db, { siteId: 'sicher', role: 'owner' })).key;
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('security headers', () => {
  it('sends nosniff, a referrer policy and frame rules on JSON, HTML, script and error answers', async () => {
    const answers = await Promise.all([
      api.request(`/v1/sites/sicher/threads/${thread}/comments`),
      api.request(`/v1/sites/sicher/threads/${thread}/comments.html`),
      api.request('/v1/sites/gibtsnicht/counts?thread=x'),
      api.request('/v1/admin/sites', { key: ADMIN_KEY }),
      api.request('/v1/admin/sites'),
      api.request('/moderate'),
      api.request('/healthz'),
      api.request('/nirgends'),
    ]);
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBeTruthy();
      // The widget is a script, not a frame: nothing here may be framed by another site.
      expect(
        res.headers.get('x-frame-options') === 'DENY' ||
          /frame-ancestors 'none'/.test(res.headers.get('content-security-policy') ?? ''),
      ).toBe(true);
    }
  });

  it('gives /moderate a strict CSP: scripts only from itself, no framing, no base or foreign form targets', async () => {
    const csp = (await api.request('/moderate')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('CORS', () => {
  const evil = { origin: 'https://evil.example' };

  it('never names another origin on admin and moderation endpoints, with or without a key, nor in their preflight', async () => {
    const answers = await Promise.all([
      api.request('/v1/admin/sites', { key: ADMIN_KEY, headers: evil }),
      api.request('/v1/admin/sites/sicher', { key: owner, headers: evil }),
      api.request('/v1/moderation/queue?site=sicher', { key: owner, headers: evil }),
      api.request('/v1/admin/sites', { headers: evil }),
      api.request('/v1/admin/sites', {
        method: 'OPTIONS',
        headers: {
          ...evil,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      }),
      api.request('/v1/moderation/decisions', {
        method: 'OPTIONS',
        headers: { ...evil, 'access-control-request-method': 'POST' },
      }),
    ]);
    for (const res of answers) {
      const allowed = res.headers.get('access-control-allow-origin');
      expect(allowed === null || allowed === '*' ? allowed : 'reflected').toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('opens the public read endpoints to every origin without credentials', async () => {
    const res = await api.request(`/v1/sites/sicher/threads/${thread}/comments`, { headers: evil });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('list and page limits', () => {
  it.each([
    [`/v1/sites/sicher/threads/${thread}/comments?limit=201`, 'limit'],
    [`/v1/sites/sicher/threads/${thread}/comments?limit=0`, 'limit'],
    [`/v1/sites/sicher/threads/${thread}/comments?cursor=${'c'.repeat(201)}`, 'cursor'],
    [`/v1/sites/sicher/counts?${Array.from({ length: 101 }, (_, i) => `thread=t${i}`).join('&')}`, 'thread'],
  ])('answers 400 to %s', async (path) => {
    const res = await api.request(path);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('answers 400 to a moderation page size over the maximum and to a bulk decision over 500 ids', async () => {
    expect((await api.request('/v1/moderation/queue?site=sicher&limit=201', { key: owner })).status).toBe(400);
    const ids = Array.from({ length: 501 }, () => randomUUID());
    expect(
      (await api.request('/v1/moderation/decisions', { method: 'POST', key: owner, json: { ids, action: 'approve' } }))
        .status,
    ).toBe(400);
  });

  it('answers 413 to an admin body over 64 KiB', async () => {
    const res = await api.request('/v1/admin/sites/sicher', {
      method: 'PATCH',
      key: owner,
      json: { name: 'x'.repeat(70_000) },
    });
    expect(res.status).toBe(413);
  });
});

describe('moderation session', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie, Secure behind HTTPS, and refuses a cross-origin sign-in', async () => {
    const form = (key: string) => new URLSearchParams({ key }).toString();
    const plain = await api.request('http://api.test/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://api.test' },
      body: form(owner),
    });
    const cookie = plain.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const tls = await api.request('https://api.test/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://api.test' },
      body: form(owner),
    });
    expect(tls.headers.get('set-cookie') ?? '').toMatch(/Secure/i);
    const foreign = await api.request('http://api.test/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: form(owner),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a state change made with the session cookie but without the CSRF token', async () => {
    const signIn = await api.request('http://api.test/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://api.test' },
      body: new URLSearchParams({ key: owner }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { id } = await makeComment(ctx.db, { siteId: 'sicher', threadKey: '/sicher', status: 'pending' });
    const read = await api.request('http://api.test/v1/moderation/queue?site=sicher', { headers: { cookie } });
    expect(read.status).toBe(200);
    const change = await api.request(`http://api.test/v1/moderation/comments/${id}/decision`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: 'http://api.test' },
      body: JSON.stringify({ action: 'approve' }),
    });
    expect([401, 403]).toContain(change.status);
    expect((await commentRow(ctx.db, id)).status).toBe('pending');
  });
});
