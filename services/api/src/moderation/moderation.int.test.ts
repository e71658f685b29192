import { createApiKey, findComment, loadSiteSpamCounts, recordReaderReport } from '@stammtisch/db';
import {
  type TestContext,
  backdateModerationEvent,
  createTestContext,
  makeComment,
  makeSite,
  setCommentReportCount,
} from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let modA: string;
let ownerA: string;
let modB: string;

type Item = {
  id: string;
  site: string;
  status: string;
  reports: number;
  score: number;
  reasons: Array<{ check: string }>;
  thread: { key: string };
};

async function queue(query: string, key = modA): Promise<{ items: Item[]; nextCursor: string | null }> {
  const res = await api.request(`/v1/moderation/queue?${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}
const ids = (page: { items: Item[] }) => page.items.map((i) => i.id);
async function decide(id: string, action: string, key = modA) {
  return api.request(`/v1/moderation/comments/${id}/decision`, { method: 'POST', key, json: { action } });
}
async function statusOf(id: string) {
  return (await findComment(ctx.db, id))?.status;
}

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'a', moderation: 'auto' });
  await makeSite(ctx.db, { id: 'b', moderation: 'auto' });
  modA = (await createApiKey(ctx.db, { siteId: 'a', role: 'moderator' })).key;
  ownerA = (await createApiKey(ctx.db, { siteId: 'a', role: 'owner' })).key;
  modB = (await createApiKey(ctx.db, { siteId: 'b', role: 'moderator' })).key;
  api = buildApi(ctx);
  // The producer connection fails fast while it is still connecting; the board reads the queue at once.
  await api.queue.waitUntilReady();
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('the moderation queues', () => {
  it('lists each queue with only its comments, explained by score and reasons', async () => {
    const t = '/queues';
    const pending = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: t,
      status: 'pending',
      score: 0.6,
      reasons: [{ check: 'links', weight: 2, detail: '3 links' }],
    });
    const spam = await makeComment(ctx.db, { siteId: 'a', threadKey: t, status: 'spam', score: 0.97 });
    const rejected = await makeComment(ctx.db, { siteId: 'a', threadKey: t, status: 'rejected' });
    const approved = await makeComment(ctx.db, { siteId: 'a', threadKey: t, status: 'approved' });
    const reported = await makeComment(ctx.db, { siteId: 'a', threadKey: t, status: 'approved' });
    for (const ip of ['r1', 'r2', 'r2']) {
      await recordReaderReport(ctx.db, {
        siteId: 'a',
        commentId: reported.id,
        reason: 'abuse',
        note: null,
        reporterIpHash: ip,
        createdAt: new Date(),
      });
    }

    const p = await queue(`status=pending&thread=${encodeURIComponent(t)}`);
    expect(ids(p)).toEqual([pending.id]);
    expect(p.items[0]).toMatchObject({
      site: 'a',
      status: 'pending',
      score: expect.closeTo(0.6, 5),
      reasons: [{ check: 'links', weight: 2, detail: '3 links' }],
      thread: { key: t },
    });
    expect(p.items[0]).toHaveProperty('author.email', 'anna@example.org');
    expect(ids(await queue(`status=spam&thread=${encodeURIComponent(t)}`))).toEqual([spam.id]);
    expect(ids(await queue(`status=rejected&thread=${encodeURIComponent(t)}`))).toEqual([rejected.id]);
    expect(ids(await queue(`status=approved&thread=${encodeURIComponent(t)}`))).toEqual([reported.id, approved.id]);
    const r = await queue(`status=reported&thread=${encodeURIComponent(t)}`);
    expect(ids(r)).toEqual([reported.id]);
    // One report per reader: the same reader twice counts once.
    expect(r.items[0]?.reports).toBe(2);
  });

  it('filters by thread, reason and text, sorts newest, oldest and by priority, and pages with a cursor', async () => {
    const t = '/filters';
    const calm = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: t,
      status: 'pending',
      score: 0.1,
      body: 'Ruhiger Beitrag über Gärten',
    });
    const unsure = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: t,
      status: 'pending',
      score: 0.52,
      body: 'Vielleicht Werbung',
      reasons: [{ check: 'suspect_words', weight: 1, detail: 'kredit' }],
    });
    const linky = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: t,
      status: 'pending',
      score: 0.8,
      body: 'Viele Links hier',
      reasons: [{ check: 'links', weight: 2, detail: '4 links' }],
    });
    const reportedHeld = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: t,
      status: 'pending',
      score: 0.05,
      body: 'Gemeldeter Gartenbeitrag',
    });
    await setCommentReportCount(ctx.db, reportedHeld.id, 3);
    await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: '/other-thread',
      status: 'pending',
      body: 'Anderer Faden über Gärten',
    });
    const th = `thread=${encodeURIComponent(t)}`;

    expect(ids(await queue(`${th}&sort=oldest`))).toEqual([calm.id, unsure.id, linky.id, reportedHeld.id]);
    expect(ids(await queue(`${th}&sort=newest`))).toEqual([reportedHeld.id, linky.id, unsure.id, calm.id]);
    // Most reports first, then the least certain calls (score nearest 0.5).
    const priority = [reportedHeld.id, unsure.id, linky.id, calm.id];
    expect(ids(await queue(`${th}&sort=priority`))).toEqual(priority);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await queue(`${th}&sort=priority&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(priority);

    expect(ids(await queue(`${th}&reason=links`))).toEqual([linky.id]);
    expect(ids(await queue(`${th}&reason=suspect_words`))).toEqual([unsure.id]);
    expect(ids(await queue(`q=g%C3%A4rten&sort=oldest`))).toEqual(expect.arrayContaining([calm.id]));
    const search = await queue(`${th}&q=G%C3%A4rten&sort=oldest`);
    expect(ids(search)).toEqual([calm.id]);

    const bad = await api.request('/v1/moderation/queue?cursor=nonsense', { key: modA });
    expect(bad.status).toBe(400);
    // A date JavaScript accepts but Postgres refuses, and SQL-like text: 400 naming cursor, never a 500.
    const lenient = Buffer.from(JSON.stringify(['foo 2020', '01930000-0000-7000-8000-0000000000aa'])).toString(
      'base64url',
    );
    for (const cursor of [lenient, encodeURIComponent("' OR 1=1 --")]) {
      const res = await api.request(`/v1/moderation/queue?cursor=${cursor}`, { key: modA });
      expect(res.status).toBe(400);
      expect((await res.json()).error.details[0].path).toBe('cursor');
    }
    expect((await api.request('/v1/moderation/queue?sort=random', { key: modA })).status).toBe(400);
  });
});

describe('decisions', () => {
  it('approves one comment: it goes public, the audit log says who, from and to, and the read cache drops the thread', async () => {
    const t = '/decide-one';
    const c = await makeComment(ctx.db, { siteId: 'a', threadKey: t, status: 'pending' });
    const res = await api.request(`/v1/moderation/comments/${c.id}/decision`, {
      method: 'POST',
      key: modA,
      json: { action: 'approve', note: 'passt' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: c.id, status: 'approved' });
    const thread = await (await api.request(`/v1/sites/a/threads/${encodeURIComponent(t)}/comments`)).json();
    expect(thread.comments.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const audit = await (await api.request(`/v1/moderation/audit?comment=${c.id}`, { key: modA })).json();
    expect(audit.events).toEqual([
      expect.objectContaining({
        commentId: c.id,
        action: 'approve',
        from: 'pending',
        to: 'approved',
        note: 'passt',
        actor: expect.any(String),
        at: expect.any(String),
      }),
    ]);
    expect(api.decided).toContain(c.id);
  });

  it('rejects and spams single comments and answers 404 for unknown ids', async () => {
    const r = await makeComment(ctx.db, { siteId: 'a', threadKey: '/decide', status: 'pending' });
    const s = await makeComment(ctx.db, { siteId: 'a', threadKey: '/decide', status: 'approved' });
    expect((await decide(r.id, 'reject')).status).toBe(200);
    expect((await decide(s.id, 'spam')).status).toBe(200);
    expect(await statusOf(r.id)).toBe('rejected');
    expect(await statusOf(s.id)).toBe('spam');
    expect((await decide(uuidv7(), 'approve')).status).toBe(404);
    expect((await decide('not-an-id', 'approve')).status).toBe(404);
    expect(
      (
        await api.request(`/v1/moderation/comments/${r.id}/decision`, {
          method: 'POST',
          key: modA,
          json: { action: 'maybe' },
        })
      ).status,
    ).toBe(400);
  });

  it('decides in bulk and skips ids of other sites without touching them', async () => {
    const mine = await Promise.all(
      [1, 2, 3].map(() => makeComment(ctx.db, { siteId: 'a', threadKey: '/bulk', status: 'pending' })),
    );
    const theirs = await makeComment(ctx.db, { siteId: 'b', threadKey: '/bulk', status: 'pending' });
    const res = await api.request('/v1/moderation/decisions', {
      method: 'POST',
      key: modA,
      json: { ids: [...mine.map((m) => m.id), theirs.id], action: 'approve' },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.updated).toBe(3);
    expect(body.eventIds).toHaveLength(3);
    for (const m of mine) expect(await statusOf(m.id)).toBe('approved');
    expect(await statusOf(theirs.id)).toBe('pending');
    expect(
      (
        await api.request('/v1/moderation/decisions', {
          method: 'POST',
          key: modA,
          json: { ids: [], action: 'approve' },
        })
      ).status,
    ).toBe(400);
  });

  it('teaches the classifier when a moderator overturns the spam stage, and counts it in stats and metrics', async () => {
    const version = async () => (await loadSiteSpamCounts(ctx.db, 'a')).version;
    const before = await version();
    const c = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: '/learn',
      status: 'spam',
      body: 'Eigentlich ein guter Beitrag über Fahrräder',
    });
    expect((await decide(c.id, 'approve')).status).toBe(200);
    expect(await version()).toBeGreaterThan(before);
    const stats = await (await api.request('/v1/admin/sites/a/stats', { key: ownerA })).json();
    expect(stats).toHaveProperty('comments');
    expect(stats).toHaveProperty('queue');
    expect(stats.moderation.overturned.approvedAfterSpam, JSON.stringify(stats)).toBeGreaterThanOrEqual(1);
    expect(typeof stats.moderation.medianTimeToDecisionSeconds).toBe('number');
    expect(stats.moderation.oldestPendingAgeSeconds).toEqual(expect.any(Number));
    const metrics = await (await api.request('/metrics')).text();
    expect(metrics).toMatch(
      /stammtisch_moderation_overturned_total\{[^}]*site="a"[^}]*kind="approved_after_spam"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/stammtisch_moderation_oldest_pending_age_seconds\{[^}]*site="a"/);
    expect(metrics).toContain('stammtisch_moderation_time_to_decision_seconds_bucket');
  });
});

describe('undo', () => {
  it('restores the earlier status, is audited as an undo of the decision, and the classifier forgets the lesson', async () => {
    const c = await makeComment(ctx.db, {
      siteId: 'a',
      threadKey: '/undo',
      status: 'spam',
      body: 'Unterschätzter Beitrag über Nähmaschinen und Zwirn',
    });
    const decision = await (await decide(c.id, 'approve')).json();
    const hamCount = async () =>
      [...(await loadSiteSpamCounts(ctx.db, 'a')).tokens].find(([token]) => token.includes('hmaschin'))?.[1].ham ?? 0;
    const taught = await hamCount();
    const res = await api.request(`/v1/moderation/comments/${c.id}/undo`, { method: 'POST', key: modA });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: c.id, status: 'spam', undoOf: decision.eventId });
    expect(await statusOf(c.id)).toBe('spam');
    expect(await hamCount()).toBeLessThan(taught);
    const audit = await (await api.request(`/v1/moderation/audit?comment=${c.id}`, { key: modA })).json();
    expect(audit.events[0]).toMatchObject({ action: 'undo', from: 'approved', to: 'spam', undoOf: decision.eventId });
    // Undone once is undone: a second undo of the same decision is a conflict.
    expect(
      (await api.request('/v1/moderation/undo', { method: 'POST', key: modA, json: { eventId: decision.eventId } }))
        .status,
    ).toBe(409);
  });

  it('lets only one of two simultaneous undos of a decision through', async () => {
    const c = await makeComment(ctx.db, { siteId: 'a', threadKey: '/undo-race', status: 'pending' });
    const d = await (await decide(c.id, 'spam')).json();
    const undoOnce = () =>
      api.request('/v1/moderation/undo', { method: 'POST', key: modA, json: { eventId: d.eventId } });
    const statuses = (await Promise.all([undoOnce(), undoOnce()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await statusOf(c.id)).toBe('pending');
    const audit = await (await api.request(`/v1/moderation/audit?comment=${c.id}`, { key: modA })).json();
    expect(audit.events.filter((e: { action: string }) => e.action === 'undo')).toHaveLength(1);
  });

  it('undoes a bulk decision by its event ids', async () => {
    const cs = await Promise.all(
      [1, 2].map(() => makeComment(ctx.db, { siteId: 'a', threadKey: '/undo-bulk', status: 'pending' })),
    );
    const bulk = await (
      await api.request('/v1/moderation/decisions', {
        method: 'POST',
        key: modA,
        json: { ids: cs.map((c) => c.id), action: 'reject' },
      })
    ).json();
    const res = await api.request('/v1/moderation/undo', {
      method: 'POST',
      key: modA,
      json: { eventIds: bulk.eventIds },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).undone).toBe(2);
    for (const c of cs) expect(await statusOf(c.id)).toBe('pending');
  });

  it('brings a dismissed report back to the reported queue', async () => {
    const c = await makeComment(ctx.db, { siteId: 'a', threadKey: '/undo-report', status: 'approved' });
    await recordReaderReport(ctx.db, {
      siteId: 'a',
      commentId: c.id,
      reason: 'spam',
      note: null,
      reporterIpHash: 'x1',
      createdAt: new Date(Date.now() - 1000),
    });
    expect((await decide(c.id, 'approve')).status).toBe(200);
    expect(ids(await queue('status=reported&thread=%2Fundo-report'))).toEqual([]);
    expect((await api.request(`/v1/moderation/comments/${c.id}/undo`, { method: 'POST', key: modA })).status).toBe(200);
    const back = await queue('status=reported&thread=%2Fundo-report');
    expect(ids(back)).toEqual([c.id]);
    expect(back.items[0]?.reports).toBe(1);
  });

  it('refuses an undo after the window, or after the comment was decided again, and hides other sites’ decisions', async () => {
    const c = await makeComment(ctx.db, { siteId: 'a', threadKey: '/undo-late', status: 'pending' });
    const d = await (await decide(c.id, 'approve')).json();
    await backdateModerationEvent(ctx.db, d.eventId, new Date(Date.now() - 16 * 60_000));
    const late = await api.request('/v1/moderation/undo', { method: 'POST', key: modA, json: { eventId: d.eventId } });
    expect(late.status).toBe(409);
    expect((await late.json()).error.message).toMatch(/15 minutes/);

    const again = await makeComment(ctx.db, { siteId: 'a', threadKey: '/undo-late', status: 'pending' });
    const first = await (await decide(again.id, 'approve')).json();
    await decide(again.id, 'spam');
    expect(
      (await api.request('/v1/moderation/undo', { method: 'POST', key: modA, json: { eventId: first.eventId } }))
        .status,
    ).toBe(409);

    expect(
      (await api.request('/v1/moderation/undo', { method: 'POST', key: modB, json: { eventId: first.eventId } }))
        .status,
    ).toBe(404);
    expect((await api.request(`/v1/moderation/comments/${again.id}/undo`, { method: 'POST', key: modB })).status).toBe(
      404,
    );
  });
});

describe('closing threads', () => {
  it('closes and reopens a thread for moderators of its site only', async () => {
    await makeComment(ctx.db, { siteId: 'a', threadKey: '/closing' });
    const res = await api.request('/v1/moderation/threads/close', {
      method: 'POST',
      key: modA,
      json: { site: 'a', key: '/closing', closed: true },
    });
    expect(res.status).toBe(200);
    const thread = await (await api.request(`/v1/sites/a/threads/${encodeURIComponent('/closing')}/comments`)).json();
    expect(thread.thread.closed).toBe(true);
    expect(
      (
        await api.request('/v1/moderation/threads/close', {
          method: 'POST',
          key: modB,
          json: { site: 'a', key: '/closing' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.request('/v1/moderation/threads/close', {
          method: 'POST',
          key: modA,
          json: { site: 'a', key: '/closing', closed: false },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.request('/v1/moderation/threads/close', {
          method: 'POST',
          key: modA,
          json: { site: 'a', key: '/nie-gesehen' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('roles and isolation', () => {
  it('shows a site key only its own site, and the admin every site', async () => {
    const a = await makeComment(ctx.db, { siteId: 'a', threadKey: '/iso', status: 'pending' });
    const b = await makeComment(ctx.db, { siteId: 'b', threadKey: '/iso', status: 'pending' });
    const mine = await queue('thread=%2Fiso');
    expect(ids(mine)).toEqual([a.id]);
    expect((await api.request('/v1/moderation/queue?site=b', { key: modA })).status).toBe(404);
    const all = await queue('thread=%2Fiso&sort=oldest', ADMIN_KEY);
    expect(ids(all)).toEqual([a.id, b.id]);
    expect(ids(await queue('thread=%2Fiso&site=b', ADMIN_KEY))).toEqual([b.id]);
    expect(ids(await queue('thread=%2Fiso', ownerA))).toEqual([a.id]);
  });

  it('answers 404, not 403, when a key decides, undoes or audits another site’s comment', async () => {
    const b = await makeComment(ctx.db, { siteId: 'b', threadKey: '/iso2', status: 'pending' });
    const res = await decide(b.id, 'approve', modA);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('comment_not_found');
    expect(await statusOf(b.id)).toBe('pending');
    expect((await api.request('/v1/moderation/audit?site=b', { key: modA })).status).toBe(404);
    expect(
      (
        await api.request('/v1/moderation/bans', {
          method: 'POST',
          key: modA,
          json: { site: 'b', kind: 'word', value: 'x' },
        })
      ).status,
    ).toBe(404);
    expect((await api.request('/v1/moderation/queue')).status).toBe(401);
    expect((await api.request('/v1/moderation/queue', { key: 'nope-nope-nope' })).status).toBe(401);
  });
});

describe('the moderation page session', () => {
  async function signIn(key: string) {
    const res = await api.app.request('/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ key }).toString(),
    });
    return res;
  }
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  it('signs in with a key into an HttpOnly, SameSite=Strict cookie that does not hold the key', async () => {
    const res = await signIn(modA);
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(modA);
    expect(Buffer.from(cookieOf(res).split('=')[1] ?? '', 'base64url').toString('latin1')).not.toContain(
      modA.slice(0, 12),
    );
    expect((await signIn('wrong-key-wrong-key')).status).toBe(401);
    const overHttps = await api.app.request('https://mod.example/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mod.example' },
      body: new URLSearchParams({ key: modA }).toString(),
    });
    expect(overHttps.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const crossSite = await api.app.request('/moderate/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ key: modA }).toString(),
    });
    expect(crossSite.status).toBe(403);
  });

  it('serves the page with a strict CSP and lets the cookie read, but not change without the CSRF token', async () => {
    const cookie = cookieOf(await signIn(modA));
    const page = await api.app.request('/moderate', { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    const csrf = html.match(/name="csrf-token" content="([^"]+)"/)?.[1];
    expect(csrf).toBeTruthy();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);

    expect((await api.app.request('/v1/moderation/queue', { headers: { cookie } })).status).toBe(200);
    const c = await makeComment(ctx.db, { siteId: 'a', threadKey: '/csrf', status: 'pending' });
    const post = (headers: Record<string, string>) =>
      api.app.request(`/v1/moderation/comments/${c.id}/decision`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ action: 'approve' }),
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'forged' })).status).toBe(403);
    expect(await statusOf(c.id)).toBe('pending');
    expect((await post({ 'x-csrf-token': csrf! })).status).toBe(200);
    expect(await statusOf(c.id)).toBe('approved');
  });

  it('shows the sign-in form without a session, and a tampered cookie is no session', async () => {
    const page = await api.app.request('/moderate', {
      headers: { cookie: 'stammtisch_mod=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(await page.text()).toContain('action="/moderate/session"');
    expect(
      (await api.app.request('/v1/moderation/queue', { headers: { cookie: 'stammtisch_mod=garbage' } })).status,
    ).toBe(401);
  });

  it('guards the Bull Board with the admin key', async () => {
    expect((await api.app.request('/admin/queues')).status).toBe(401);
    expect((await api.app.request('/admin/queues/')).status).toBe(401);
    expect((await api.request('/admin/queues', { key: modA })).status).toBe(403);
    const board = await api.request('/admin/queues', { key: ADMIN_KEY });
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html).toContain('<html');
    // The board's own script loads from under the same guard.
    const relative = html.match(/src="(static\/js\/main[^"]+\.js)"/)?.[1];
    expect(relative).toBeTruthy();
    const asset = `/admin/queues/${relative}`;
    expect((await api.request(asset!, { key: ADMIN_KEY })).status).toBe(200);
    expect((await api.app.request(asset!)).status).toBe(401);
    const queues = await api.request('/admin/queues/api/queues', { key: ADMIN_KEY });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(await queues.json())).toContain('comments');
    const adminCookie = cookieOf(await signIn(ADMIN_KEY));
    expect((await api.app.request('/admin/queues/api/queues', { headers: { cookie: adminCookie } })).status).toBe(200);
  });
});
