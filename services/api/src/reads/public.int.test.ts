import { createDatabase, setThreadClosed } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
const THREAD = '/2012/03/kleine-fluchten';
const path = (key = THREAD, query = '') => `/v1/sites/blog/threads/${encodeURIComponent(key)}/comments${query}`;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog' });
  api = buildApi(ctx);
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('GET /v1/sites/{siteId}/threads/{threadKey}/comments', () => {
  it('returns only approved comments, each top-level one followed by its replies, without emails', async () => {
    const first = await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, body: 'Erster' });
    const second = await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, body: 'Zweiter' });
    const reply = await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, parentId: first.id, body: 'Antwort' });
    const nested = await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: THREAD,
      parentId: reply.id,
      body: 'Antwort auf Antwort',
    });
    await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, status: 'pending', body: 'Wartet' });
    await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, status: 'spam', body: 'Billige Uhren' });

    const res = await api.request(path());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.thread).toMatchObject({ key: THREAD, title: 'Ein Artikel', closed: false, count: 4 });
    expect(body.comments.map((c: { id: string }) => c.id)).toEqual([first.id, reply.id, nested.id, second.id]);
    expect(body.comments[1].parentId).toBe(first.id);
    expect(body.comments[0]).toEqual({
      id: first.id,
      parentId: null,
      // The avatar is an identicon keyed by the email (HMAC): neither the email nor its plain hash shows.
      author: { name: 'Anna', url: null, avatar: expect.stringMatching(/^\/v1\/avatars\/[0-9a-f]{32}\.png$/) },
      html: '<p>Erster</p>',
      createdAt: expect.any(String),
      votes: { up: 0, down: 0 },
    });
    expect(JSON.stringify(body)).not.toContain('anna@example.org');
    expect(body.nextCursor).toBeNull();
  });

  it('pages top-level comments with a cursor, newest first when asked, replies coming along', async () => {
    const key = '/paging';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await makeComment(ctx.db, { siteId: 'blog', threadKey: key })).id);
    const reply = await makeComment(ctx.db, { siteId: 'blog', threadKey: key, parentId: ids[4] });

    const page1 = await (await api.request(path(key, '?limit=2'))).json();
    expect(page1.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    const page2 = await (await api.request(path(key, `?limit=2&cursor=${page1.nextCursor}`))).json();
    expect(page2.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(2, 4));
    const page3 = await (await api.request(path(key, `?limit=2&cursor=${page2.nextCursor}`))).json();
    expect(page3.comments.map((c: { id: string }) => c.id)).toEqual([ids[4], reply.id]);
    expect(page3.nextCursor).toBeNull();

    const newest = await (await api.request(path(key, '?sort=newest&limit=2'))).json();
    expect(newest.comments.map((c: { id: string }) => c.id)).toEqual([ids[4], reply.id, ids[3]]);
  });

  it('answers an unknown thread with 200 and no comments, and an unknown site with 404', async () => {
    const res = await api.request(path('/noch-nie-kommentiert'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      thread: {
        key: '/noch-nie-kommentiert',
        title: null,
        url: null,
        closed: false,
        count: 0,
        votes: 'up',
        editWindowMinutes: 15,
      },
      comments: [],
      nextCursor: null,
    });
    const missing = await api.request(`/v1/sites/nope/threads/${encodeURIComponent(THREAD)}/comments`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('site_not_found');
  });

  it('carries an ETag and answers a matching If-None-Match with 304, and public caching headers', async () => {
    const res = await api.request(path());
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    // Browsers revalidate with the ETag every time (an approval shows at once); a CDN may keep it a second.
    expect(res.headers.get('cache-control')).toBe('public, no-cache, s-maxage=1');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const again = await api.request(path(), { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('shows a newly approved comment at once: the change drops the cached page and the ETag changes', async () => {
    const key = '/cache';
    await makeComment(ctx.db, { siteId: 'blog', threadKey: key });
    const before = await api.request(path(key));
    const held = await makeComment(ctx.db, { siteId: 'blog', threadKey: key, status: 'pending' });
    const decision = await api.request(`/v1/moderation/comments/${held.id}/decision`, {
      method: 'POST',
      key: 'test-admin-key-0123456789abcdef',
      json: { action: 'approve' },
    });
    expect(decision.status).toBe(200);
    const after = await api.request(path(key), { headers: { 'if-none-match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect((await after.json()).comments.map((c: { id: string }) => c.id)).toContain(held.id);
  });

  it('refuses a limit outside 1–200 and a forged cursor with 400 naming the field', async () => {
    const tooMany = await api.request(path(THREAD, '?limit=500'));
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.details[0].path).toBe('limit');
    const forged = await api.request(path(THREAD, '?cursor=abc'));
    expect(forged.status).toBe(400);
    expect((await forged.json()).error.details[0].path).toBe('cursor');
  });

  it('refuses a cursor that is not ours with 400 naming cursor, also on a thread that does not exist', async () => {
    const sqlLike = Buffer.from(
      JSON.stringify(["2020-01-01T00:00:00.000Z' OR 1=1 --", "x'; drop table comments; --"]),
    ).toString('base64url');
    const forgedId = Buffer.from(
      JSON.stringify(['2020-01-01T00:00:00.000Z', 'not-a-uuid-but-36-characters-long-xx']),
    ).toString('base64url');
    for (const cursor of [
      'garbage',
      "' OR 1=1 --",
      "1'; DROP TABLE comments; --",
      sqlLike,
      forgedId,
      '%00',
      'W10',
      'bnVsbA',
    ]) {
      for (const thread of [THREAD, 'x']) {
        const res = await api.request(path(thread, `?cursor=${encodeURIComponent(cursor)}`));
        expect(res.status, `${thread} ${cursor}`).toBe(400);
        const { error } = await res.json();
        expect(error.code).toBe('invalid_request');
        expect(error.details.map((d: { path: string }) => d.path)).toEqual(['cursor']);
      }
    }
    // The same cursor on the HTML fragment and the feed: every reader of the query validates it.
    expect((await api.request(`/v1/sites/blog/threads/x/comments.html?cursor=garbage`)).status).toBe(400);
  });

  it('reports a closed thread as closed', async () => {
    await makeComment(ctx.db, { siteId: 'blog', threadKey: '/zu' });
    await setThreadClosed(ctx.db, 'blog', '/zu', true);
    api.readCache.clear();
    expect((await (await api.request(path('/zu'))).json()).thread.closed).toBe(true);
  });
});

describe('GET /v1/sites/{siteId}/counts', () => {
  it('counts approved comments for many threads in one answer, 0 for unknown ones', async () => {
    const res = await api.request(
      `/v1/sites/blog/counts?thread=${encodeURIComponent(THREAD)}&thread=%2Fpaging&thread=%2Fnone`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ counts: { [THREAD]: 4, '/paging': 6, '/none': 0 } });
  });

  it('refuses more than 100 keys and none at all', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => `thread=k${i}`).join('&');
    expect((await api.request(`/v1/sites/blog/counts?${keys}`)).status).toBe(400);
    expect((await api.request('/v1/sites/blog/counts')).status).toBe(400);
  });
});

describe('GET /v1/sites/{siteId}/comments/{id}', () => {
  it('tells approved, pending and rejected apart, and shows spam as pending', async () => {
    const approved = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/s' });
    const spam = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/s', status: 'spam' });
    const rejected = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/s', status: 'rejected' });
    expect(await (await api.request(`/v1/sites/blog/comments/${approved.id}`)).json()).toEqual({
      id: approved.id,
      status: 'approved',
    });
    expect(await (await api.request(`/v1/sites/blog/comments/${spam.id}`)).json()).toEqual({
      id: spam.id,
      status: 'pending',
    });
    expect(await (await api.request(`/v1/sites/blog/comments/${rejected.id}`)).json()).toEqual({
      id: rejected.id,
      status: 'rejected',
    });
  });

  it('answers pending for a comment still in the queue, and 404 for an id nobody accepted', async () => {
    const id = '01930000-0000-7000-8000-0000000000aa';
    await api.queue.add('comment', { id, siteId: 'blog' }, { jobId: id });
    expect(await (await api.request(`/v1/sites/blog/comments/${id}`)).json()).toEqual({ id, status: 'pending' });
    const unknown = await api.request('/v1/sites/blog/comments/01930000-0000-7000-8000-0000000000bb');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('comment_not_found');
  });
});

describe('with a read replica (DATABASE_READ_URL)', () => {
  it('answers the author status from the primary, and public reads from the primary when the replica is away', async () => {
    // A "replica" nobody listens on: every read on it fails at once.
    const replica = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    const withReplica = buildApi(ctx, { readDb: replica });
    try {
      const comment = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/replika' });
      expect(await (await withReplica.request(`/v1/sites/blog/comments/${comment.id}`)).json()).toEqual({
        id: comment.id,
        status: 'approved',
      });
      const page = await withReplica.request(path('/replika'));
      expect(page.status).toBe(200);
      expect((await page.json()).comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
      const counts = await withReplica.request('/v1/sites/blog/counts?thread=%2Freplika');
      expect(await counts.json()).toEqual({ counts: { '/replika': 1 } });
    } finally {
      await withReplica.close();
      await replica.destroy();
    }
  });
});
