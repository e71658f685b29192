import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createSiteCache, markCommentDeleted } from '@stammtisch/db';
import { createLogger } from '@stammtisch/http';
import {
  type TestContext,
  createTestContext,
  makeComment,
  makeSite,
  markCommentEdited,
  setCommentVotes,
} from '@stammtisch/testkit';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThreadHub } from './thread-hub.js';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let hub: ReturnType<typeof createThreadHub>;
let server: ServerType;
let base: string;
const THREAD = '/live/thread';
const eventsUrl = (key = THREAD) => `${base}/v1/sites/live/threads/${encodeURIComponent(key)}/events`;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'live' });
  await makeSite(ctx.db, { id: 'other' });
  hub = createThreadHub({
    db: ctx.db,
    siteCache: createSiteCache(ctx.db),
    logger: createLogger({ service: 'test', level: 'silent' }),
    ipHashSecret: 'test-secret-test-secret',
  });
  api = buildApi(ctx, {
    threadHub: hub,
    // As main.ts does through Redis: decisions become comments.written events for the live streams.
    onDecided: async (results) => {
      for (const r of results) api.readCache.invalidateThread(r.siteId, r.threadKey);
      await hub.onCommentsWritten(
        results.map((r) => ({ siteId: r.siteId, threadKey: r.threadKey, id: r.id, status: r.to })),
      );
    },
  });
  server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hub.close();
  await new Promise((resolve) => server.close(resolve));
  await api.close();
  await ctx.cleanup();
});

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
}

/** Opens an event stream and collects its events until closed. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            const [name, ...rest] = line.split(': ');
            if (name === 'event' || name === 'id' || name === 'data') event[name] = rest.join(': ');
          }
          if (event.data !== undefined) events.push(event);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return { res, events, close: () => controller.abort() };
}

async function until<T>(check: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const approve = (id: string) =>
  api.request(`/v1/moderation/comments/${id}/decision`, {
    method: 'POST',
    key: ADMIN_KEY,
    json: { action: 'approve' },
  });

describe('GET /v1/sites/{siteId}/threads/{threadKey}/events', () => {
  it('streams a comment approved after the stream opened, then the new count, each event with an id', async () => {
    const stream = await openStream(eventsUrl());
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    await until(() => (hub.size > 0 ? true : undefined));
    const held = await makeComment(ctx.db, { siteId: 'live', threadKey: THREAD, status: 'pending', body: 'Live!' });
    expect((await approve(held.id)).status).toBe(200);
    await until(() => (stream.events.length >= 2 ? true : undefined));
    const [comment, count] = stream.events;
    expect(comment?.event).toBe('comment');
    expect(JSON.parse(comment!.data!)).toMatchObject({
      id: held.id,
      html: '<p>Live!</p>',
      author: { name: 'Anna' },
      votes: { up: 0, down: 0 },
    });
    expect(JSON.stringify(stream.events)).not.toContain('anna@example.org');
    expect(count?.event).toBe('count');
    expect(JSON.parse(count!.data!)).toEqual({ count: 1 });
    expect(comment?.id).toMatch(/^\d+$/);
    expect(count?.id).toMatch(/^\d+$/);
    stream.close();
    await until(() => (hub.size === 0 ? true : undefined));
  });

  it('brings a reader that reconnects with Last-Event-ID up to date with what it missed', async () => {
    const key = '/live/reconnect';
    const first = await openStream(eventsUrl(key));
    await until(() => (hub.size > 0 ? true : undefined));
    const a = await makeComment(ctx.db, { siteId: 'live', threadKey: key, status: 'pending', body: 'Vorher' });
    await approve(a.id);
    await until(() => (first.events.length >= 2 ? true : undefined));
    const lastId = first.events.at(-1)!.id!;
    first.close();
    await until(() => (hub.size === 0 ? true : undefined));

    // Missed while away: approved, and another one approved long before (outside nothing: it predates the last event).
    await new Promise((r) => setTimeout(r, 5));
    const b = await makeComment(ctx.db, { siteId: 'live', threadKey: key, status: 'pending', body: 'Verpasst' });
    await approve(b.id);
    const second = await openStream(eventsUrl(key), { 'last-event-id': lastId });
    const missed = await until(() =>
      second.events.find((e) => e.event === 'comment' && JSON.parse(e.data!).id === b.id),
    );
    expect(JSON.parse(missed.data!).html).toBe('<p>Verpasst</p>');
    await until(() => second.events.find((e) => e.event === 'count' && JSON.parse(e.data!).count === 2));
    second.close();
  });

  it('answers 404 for an unknown site', async () => {
    const res = await fetch(`${base}/v1/sites/nope/threads/x/events`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('site_not_found');
  });
});

describe('avatars', () => {
  it('serves an identicon for an avatar key and initials when asked, as SVG that runs nothing', async () => {
    const { id } = await makeComment(ctx.db, {
      siteId: 'live',
      threadKey: '/avatar',
      authorName: 'Jürgen Größe',
      authorEmail: null,
    });
    const list = await (await api.request(`/v1/sites/live/threads/${encodeURIComponent('/avatar')}/comments`)).json();
    const avatar = list.comments.find((c: { id: string }) => c.id === id).author.avatar as string;
    expect(avatar).toMatch(/^\/v1\/avatars\/[0-9a-f]{32}\.svg\?i=JG$/);
    const res = await api.request(avatar);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    const svg = await res.text();
    expect(svg).toContain('>JG</text>');
    expect(svg).not.toContain('<script');
    const identicon = await api.request('/v1/avatars/0123456789abcdef0123456789abcdef.svg');
    expect(await identicon.text()).toMatch(/^<svg[^>]*>.*<rect/);
    expect((await api.request('/v1/avatars/..%2Fetc.svg')).status).toBe(404);
  });

  it('links the identicon of an author with an email as a PNG that shows the same cells as the SVG', async () => {
    const { id } = await makeComment(ctx.db, {
      siteId: 'live',
      threadKey: '/avatar-png',
      authorEmail: 'Ida@Example.org',
    });
    const list = await (
      await api.request(`/v1/sites/live/threads/${encodeURIComponent('/avatar-png')}/comments`)
    ).json();
    const avatar = list.comments.find((c: { id: string }) => c.id === id).author.avatar as string;
    expect(avatar).toMatch(/^\/v1\/avatars\/[0-9a-f]{32}\.png$/);
    const res = await api.request(avatar);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect([png.width, png.height]).toEqual([48, 48]);
    // Each of the SVG's 1×1 cells (at x + 0.5, y + 0.5 in a 6×6 view box) is an 8×8 block of its colour in the PNG.
    const key = avatar.slice('/v1/avatars/'.length, -'.png'.length);
    const svg = await (await api.request(`/v1/avatars/${key}.svg`)).text();
    const ink = /<g fill="hsl\((\d+),55%,45%\)">/.exec(svg)!;
    const cells = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="1"/g)].map((m) => [
      Number(m[1]) - 0.5,
      Number(m[2]) - 0.5,
    ]);
    expect(cells.length).toBeGreaterThan(0);
    const pixel = (x: number, y: number) => [...png.data.subarray((y * 48 + x) * 4, (y * 48 + x) * 4 + 4)];
    const filled = new Set(cells.map(([x, y]) => `${x},${y}`));
    const colour = pixel(cells[0]![0]! * 8 + 4, cells[0]![1]! * 8 + 4);
    expect(colour).not.toEqual([240, 240, 240, 255]);
    // The hue of the SVG's fill, from the PNG's colour.
    const [r, g, b] = colour.map((v) => v! / 255) as [number, number, number];
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const d = max - min;
    const hue = max === r ? 60 * (((g - b) / d) % 6) : max === g ? 60 * ((b - r) / d + 2) : 60 * ((r - g) / d + 4);
    const off = Math.abs(((hue + 360) % 360) - Number(ink[1]));
    expect(Math.min(off, 360 - off)).toBeLessThan(2);
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        const centre = pixel(x * 8 + 8, y * 8 + 8);
        expect(centre).toEqual(filled.has(`${x},${y}`) ? colour : [240, 240, 240, 255]);
      }
    }
    expect(pixel(0, 0)).toEqual([240, 240, 240, 255]);
  });

  it('links Gravatar only where the site turns it on', async () => {
    await makeSite(ctx.db, { id: 'grav', settings: { gravatar: true } });
    await makeComment(ctx.db, { siteId: 'grav', threadKey: '/g' });
    const list = await (await api.request(`/v1/sites/grav/threads/${encodeURIComponent('/g')}/comments`)).json();
    expect(list.comments[0].author.avatar).toMatch(/^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?d=identicon/);
  });
});

describe('pinning and sort=best', () => {
  it('puts a pinned comment first with "pinned": true, and takes it back on DELETE', async () => {
    const key = '/pins';
    const a = await makeComment(ctx.db, { siteId: 'live', threadKey: key });
    const b = await makeComment(ctx.db, { siteId: 'live', threadKey: key });
    const read = async () =>
      (await (await api.request(`/v1/sites/live/threads/${encodeURIComponent(key)}/comments`)).json()).comments;
    expect((await read()).map((c: { id: string }) => c.id)).toEqual([a.id, b.id]);
    const pin = await api.request(`/v1/moderation/comments/${b.id}/pin`, { method: 'POST', key: ADMIN_KEY });
    expect(pin.status).toBe(200);
    expect(await pin.json()).toEqual({ id: b.id, pinned: true });
    const pinned = await read();
    expect(pinned.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(pinned[0].pinned).toBe(true);
    expect(pinned[1].pinned).toBeUndefined();
    expect(
      (await api.request(`/v1/moderation/comments/${b.id}/pin`, { method: 'DELETE', key: ADMIN_KEY })).status,
    ).toBe(200);
    expect((await read()).map((c: { id: string }) => c.id)).toEqual([a.id, b.id]);
  });

  it('refuses pinning without a key (401) and for an unknown comment (404)', async () => {
    expect(
      (await api.request('/v1/moderation/comments/01930000-0000-7000-8000-0000000000aa/pin', { method: 'POST' }))
        .status,
    ).toBe(401);
    const missing = await api.request('/v1/moderation/comments/01930000-0000-7000-8000-0000000000aa/pin', {
      method: 'POST',
      key: ADMIN_KEY,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('comment_not_found');
  });

  it('orders top-level comments by the Wilson lower bound with sort=best, and pages through them', async () => {
    const key = '/best';
    const votes: [number, number][] = [
      [1, 0],
      [10, 1],
      [0, 0],
      [50, 40],
      [3, 0],
    ];
    const ids: string[] = [];
    for (const [up, down] of votes) {
      const { id } = await makeComment(ctx.db, { siteId: 'live', threadKey: key });
      await setCommentVotes(ctx.db, id, { up, down });
      ids.push(id);
    }
    const url = (q: string) => `/v1/sites/live/threads/${encodeURIComponent(key)}/comments?sort=best${q}`;
    const all = await (await api.request(url(''))).json();
    // 10/1 (0.62) > 50/40 (0.45) > 3/0 (0.44) > 1/0 (0.21) > 0/0
    expect(all.comments.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[3], ids[4], ids[0], ids[2]]);
    expect(all.comments[0].votes).toEqual({ up: 10, down: 1 });
    const page1 = await (await api.request(url('&limit=2'))).json();
    const page2 = await (await api.request(url(`&limit=2&cursor=${page1.nextCursor}`))).json();
    const page3 = await (await api.request(url(`&limit=2&cursor=${page2.nextCursor}`))).json();
    expect([...page1.comments, ...page2.comments, ...page3.comments].map((c: { id: string }) => c.id)).toEqual(
      all.comments.map((c: { id: string }) => c.id),
    );
  });

  it('leaves votes out of the read where the site has them off', async () => {
    await makeSite(ctx.db, { id: 'novotes', settings: { votes: 'off' } });
    await makeComment(ctx.db, { siteId: 'novotes', threadKey: '/n' });
    const list = await (await api.request(`/v1/sites/novotes/threads/${encodeURIComponent('/n')}/comments`)).json();
    expect(list.comments[0].votes).toBeUndefined();
  });
});

describe('edited and deleted comments in the read and the moderation queue', () => {
  it('shows editedAt, keeps a deleted comment with replies as a placeholder, drops one without, and lists earlier versions for moderators', async () => {
    const key = '/edits';
    const parent = await makeComment(ctx.db, { siteId: 'live', threadKey: key, body: 'Eltern' });
    const reply = await makeComment(ctx.db, { siteId: 'live', threadKey: key, parentId: parent.id, body: 'Antwort' });
    const lone = await makeComment(ctx.db, { siteId: 'live', threadKey: key, body: 'Allein' });
    const editedAt = new Date();
    await markCommentEdited(ctx.db, reply.id, { body: 'Antwrot', html: '<p>Antwrot</p>' }, editedAt);
    const deletedAt = new Date();
    for (const id of [parent.id, lone.id]) await markCommentDeleted(ctx.db, id, deletedAt);
    api.readCache.clear();
    const list = await (await api.request(`/v1/sites/live/threads/${encodeURIComponent(key)}/comments`)).json();
    expect(list.comments.map((c: { id: string }) => c.id)).toEqual([parent.id, reply.id]);
    expect(list.comments[0]).toEqual({
      id: parent.id,
      parentId: null,
      author: { name: '', url: null },
      html: '',
      createdAt: expect.any(String),
      deleted: true,
    });
    expect(list.comments[1].editedAt).toBe(editedAt.toISOString());
    expect(list.thread.count).toBe(1);

    const queue = await (
      await api.request(`/v1/moderation/queue?site=live&status=approved&thread=${encodeURIComponent(key)}`, {
        key: ADMIN_KEY,
      })
    ).json();
    const item = queue.items.find((i: { id: string }) => i.id === reply.id);
    expect(item.versions).toEqual([{ body: 'Antwrot', editedAt: editedAt.toISOString() }]);
    expect(item.votes).toEqual({ up: 0, down: 0 });
    expect(item.editedAt).toBe(editedAt.toISOString());
  });
});
