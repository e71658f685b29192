import { createApiKey, findComment } from '@stammtisch/db';
import { createLogger, hashIp } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/contract';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The api sets bans and site settings, the worker applies them: these tests drive both to see the moderation API's effect end to end.
import { ADMIN_KEY, buildApi } from '../services/api/test/helpers.js';
import { processComment } from '../services/worker/src/processors/comment.js';
import { createSiteContextCache } from '../services/worker/src/site-context.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let modA: string;
let modB: string;
const IP_SECRET = 'test-secret-test-secret';

type Item = { id: string };

async function queue(query: string, key = modA): Promise<{ items: Item[]; nextCursor: string | null }> {
  const res = await api.request(`/v1/moderation/queue?${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}
const ids = (page: { items: Item[] }) => page.items.map((i) => i.id);

let serial = 0;
function job(siteId: string, overrides: Partial<CommentJob> = {}): CommentJob {
  return {
    id: uuidv7(),
    siteId,
    thread: { key: '/bans', url: 'https://blog.example/bans', title: 'Bans' },
    author: { name: 'Berta', email: `berta${serial + 1}@example.org`, url: null },
    body: `Ein ganz normaler, freundlicher Kommentar zum Artikel. (${++serial})`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: hashIp(`203.0.113.${serial}`, IP_SECRET),
    ...overrides,
  };
}
function runWorker(data: CommentJob) {
  return processComment(
    {
      db: ctx.db,
      siteContexts: createSiteContextCache(ctx.db),
      logger: createLogger({ service: 't', level: 'silent' }),
      onCommentWritten: async () => {},
    },
    data,
  );
}

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'a', moderation: 'auto' });
  await makeSite(ctx.db, { id: 'b', moderation: 'auto' });
  modA = (await createApiKey(ctx.db, { siteId: 'a', role: 'moderator' })).key;
  modB = (await createApiKey(ctx.db, { siteId: 'b', role: 'moderator' })).key;
  api = buildApi(ctx);
  // The producer connection fails fast while it is still connecting; the queue is read at once.
  await api.queue.waitUntilReady();
  // Like any live site, site a has a history: moderators approved a few held comments, so its classifier has learned what a real comment looks like.
  const held = await Promise.all(
    [1, 2, 3].map(() => makeComment(ctx.db, { siteId: 'a', threadKey: '/history', status: 'pending' })),
  );
  const approved = await api.request('/v1/moderation/decisions', {
    method: 'POST',
    key: modA,
    json: { ids: held.map((c) => c.id), action: 'approve' },
  });
  expect(approved.status).toBe(200);
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('bans', () => {
  it('files comments by a banned email, IP or word as spam, and lists and deletes bans', async () => {
    const made: string[] = [];
    for (const [kind, value] of [
      ['email', 'Troll@Example.org'],
      ['ip', '198.51.100.66'],
      ['word', 'wundermittel'],
    ] as const) {
      const res = await api.request('/v1/moderation/bans', {
        method: 'POST',
        key: modA,
        json: { site: 'a', kind, value },
      });
      expect(res.status).toBe(201);
      made.push((await res.json()).id);
    }
    const byEmail = await runWorker(job('a', { author: { name: 'T', email: 'troll@example.org', url: null } }));
    const byIp = await runWorker(job('a', { ipHash: hashIp('198.51.100.66', IP_SECRET) }));
    const byWord = await runWorker(job('a', { body: 'Kaufen Sie das WunderMittel heute noch, wirklich.' }));
    const cleanJob = job('a');
    const clean = await runWorker(cleanJob);
    expect([byEmail?.status, byIp?.status, byWord?.status]).toEqual(['spam', 'spam', 'spam']);
    expect(clean?.status, JSON.stringify((await findComment(ctx.db, cleanJob.id))?.reasons)).not.toBe('spam');
    expect(ids(await queue('status=spam&reason=ban'))).toHaveLength(3);

    const list = await (await api.request('/v1/moderation/bans?site=a', { key: modA })).json();
    expect(list.bans.map((b: { kind: string }) => b.kind).sort()).toEqual(['email', 'ip', 'word']);
    // The IP is kept only as the keyed hash ingest computes.
    expect(JSON.stringify(list)).not.toContain('198.51.100.66');
    expect((await api.request(`/v1/moderation/bans/${made[0]}`, { method: 'DELETE', key: modB })).status).toBe(404);
    for (const id of made)
      expect((await api.request(`/v1/moderation/bans/${id}`, { method: 'DELETE', key: modA })).status).toBe(204);
    expect(
      (await runWorker(job('a', { author: { name: 'T', email: 'troll@example.org', url: null } })))?.status,
    ).not.toBe('spam');
  });

  it('shadow-bans: the author is told the comment is published, the thread shows it to nobody', async () => {
    await api.request('/v1/moderation/bans', {
      method: 'POST',
      key: modA,
      json: { site: 'a', kind: 'email', value: 'shadow@example.org', shadow: true },
    });
    const data = job('a', {
      thread: { key: '/shadow', url: null, title: null },
      author: { name: 'Sch', email: 'shadow@example.org', url: null },
    });
    expect((await runWorker(data))?.status).toBe('spam');
    const status = await (await api.request(`/v1/sites/a/comments/${data.id}`)).json();
    expect(status).toEqual({ id: data.id, status: 'approved' });
    const thread = await (await api.request(`/v1/sites/a/threads/${encodeURIComponent('/shadow')}/comments`)).json();
    expect(thread.comments).toEqual([]);
    const held = await queue('status=spam&reason=shadow_ban');
    expect(ids(held)).toEqual([data.id]);
  });
});

describe('site settings that shape the queue', () => {
  it('holds per the moderation mode, first-time authors, link limit, banned and suspect words', async () => {
    await makeSite(ctx.db, { id: 'c', moderation: 'post' });
    const patch = await api.request('/v1/admin/sites/c', {
      method: 'PATCH',
      key: ADMIN_KEY,
      json: {
        moderation: 'pre',
        settings: {
          maxLinks: 1,
          bannedWords: ['casino'],
          suspectWords: ['kredit'],
          holdFirstTimeAuthors: true,
          closeAfterDays: 30,
        },
      },
    });
    expect(patch.status).toBe(200);
    expect((await patch.json()).settings).toMatchObject({ maxLinks: 1, bannedWords: ['casino'], closeAfterDays: 30 });
    expect((await runWorker(job('c')))?.status).toBe('pending');
    expect((await runWorker(job('c', { body: 'Bestes Online Casino hier, kommt alle.' })))?.status).toBe('spam');
    const links = job('c', { body: 'Siehe https://a.example/x und https://b.example/y und https://c.example/z' });
    await runWorker(links);
    const row = await findComment(ctx.db, links.id);
    expect(row?.reasons.map((r) => r.check)).toContain('links');
    expect(
      (await api.request('/v1/admin/sites/c', { method: 'PATCH', key: ADMIN_KEY, json: { settings: { maxLinkz: 1 } } }))
        .status,
    ).toBe(400);
  });
});
