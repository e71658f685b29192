import { createApiKey } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment, makeSite, siteComments } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

// GDPR for site owners: export and erase one author's data by email; and
// public answers never carry an email or an IP hash.

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let owner: string;
const thread = '/2026/11/datenschutz';

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await makeSite(ctx.db, { id: 'privat' });
  await makeSite(ctx.db, { id: 'anderswo' });
  owner = (await createApiKey(ctx.db, { siteId: 'privat', role: 'owner' })).key;
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('author data export and erasure', () => {
  it("exports every comment of an author (any case of the address) with the thread it belongs to, and nobody else's", async () => {
    await makeComment(ctx.db, {
      siteId: 'privat',
      threadKey: thread,
      authorName: 'Grete',
      authorEmail: 'Grete@Example.org',
      body: 'Erster Gedanke',
    });
    await makeComment(ctx.db, {
      siteId: 'privat',
      threadKey: thread,
      authorName: 'Grete',
      authorEmail: 'grete@example.org',
      status: 'pending',
      body: 'Zweiter',
    });
    await makeComment(ctx.db, {
      siteId: 'privat',
      threadKey: thread,
      authorName: 'Hans',
      authorEmail: 'hans@example.org',
      body: 'Antwort von Hans',
    });
    await makeComment(ctx.db, {
      siteId: 'anderswo',
      threadKey: thread,
      authorName: 'Grete',
      authorEmail: 'grete@example.org',
      body: 'Auf der anderen Seite',
    });

    const res = await api.request('/v1/admin/sites/privat/authors?email=GRETE%40example.org', { key: owner });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.email).toBe('grete@example.org');
    expect(body.comments.map((c: { body: string }) => c.body).sort()).toEqual(['Erster Gedanke', 'Zweiter']);
    expect(body.comments[0].thread.key).toBe(thread);
  });

  it('refuses an export or erasure without a valid email with 400', async () => {
    expect((await api.request('/v1/admin/sites/privat/authors', { key: owner })).status).toBe(400);
    expect(
      (await api.request('/v1/admin/sites/privat/authors?email=kein-email', { method: 'DELETE', key: owner })).status,
    ).toBe(400);
  });

  it("erases an author's name, email, url, IP hash and text on this site only, and public reads show the placeholder at once", async () => {
    const before = await api.request(`/v1/sites/privat/threads/${encodeURIComponent(thread)}/comments`);
    expect(await before.text()).toContain('Grete');

    const res = await api.request('/v1/admin/sites/privat/authors?email=grete%40example.org', {
      method: 'DELETE',
      key: owner,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).erased.comments).toBe(2);

    const rows = (await siteComments(ctx.db, 'privat')).filter((row) => row.authorName === '[gelöscht]');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        authorEmail: null,
        authorUrl: null,
        authorIpHash: null,
        authorIdentity: null,
        body: '[gelöscht]',
        html: '<p>[gelöscht]</p>',
      });
    }
    const after = await (await api.request(`/v1/sites/privat/threads/${encodeURIComponent(thread)}/comments`)).text();
    expect(after).not.toContain('Grete');
    expect(after).not.toContain('Erster Gedanke');
    expect(after).toContain('Antwort von Hans');
    // The same address on another site is that site owner's business.
    const [elsewhere] = await siteComments(ctx.db, 'anderswo');
    expect(elsewhere?.authorName).toBe('Grete');
    const exported = await (
      await api.request('/v1/admin/sites/privat/authors?email=grete%40example.org', { key: ADMIN_KEY })
    ).json();
    expect(exported.comments).toEqual([]);
  });

  it('never shows an email address or IP hash in public answers', async () => {
    const { id } = await makeComment(ctx.db, {
      siteId: 'privat',
      threadKey: '/offen',
      authorEmail: 'geheim@example.org',
      body: 'Öffentlich sichtbar',
    });
    const paths = [
      `/v1/sites/privat/threads/${encodeURIComponent('/offen')}/comments`,
      `/v1/sites/privat/threads/${encodeURIComponent('/offen')}/comments.html`,
      `/v1/sites/privat/threads/${encodeURIComponent('/offen')}/comments.atom`,
      `/v1/sites/privat/comments/${id}`,
    ];
    for (const path of paths) {
      const res = await api.request(path);
      const text = await res.text();
      expect(text).not.toContain('geheim@example.org');
      expect(text).not.toContain('test-ip-hash');
    }
  });
});
