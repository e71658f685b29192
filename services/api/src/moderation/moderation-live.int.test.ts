import { createApiKey } from '@stammtisch/db';
import { createProducerConnection, createWorkerConnection, publishChange, subscribeToChanges } from '@stammtisch/queue';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModerationFeed } from './live.js';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let publisher: Redis;
let subscriber: Redis;
let moderatorKey: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'eins', moderation: 'pre' });
  await makeSite(ctx.db, { id: 'zwei', moderation: 'pre' });
  moderatorKey = (await createApiKey(ctx.db, { siteId: 'eins', role: 'moderator' })).key;
  // Wired as in main.ts: change events from Redis pub/sub feed the streams; decisions publish comment.decided.
  const moderationFeed = createModerationFeed({ db: ctx.db });
  publisher = createProducerConnection(ctx.redisUrl);
  subscriber = createWorkerConnection(ctx.redisUrl);
  await subscribeToChanges(subscriber, ctx.redisPrefix, (event) => moderationFeed.handle(event));
  api = buildApi(ctx, {
    moderationFeed,
    onDecided: async (results) => {
      for (const r of results)
        await publishChange(publisher, ctx.redisPrefix, {
          type: 'comment.decided',
          siteId: r.siteId,
          threadKey: r.threadKey,
          id: r.id,
          status: r.to,
          by: r.by,
        });
    },
  });
});
afterAll(async () => {
  await api.close();
  await subscriber.quit();
  await publisher.quit();
  await ctx.cleanup();
});

type SseEvent = { event: string; id?: string; data: unknown };

/** Reads Server-Sent Events off a streaming answer, `count` at a time. */
function eventReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  return {
    async next(count: number, timeoutMs = 10_000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('no event in time')), deadline - Date.now()),
          ),
        ]);
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .flatMap((line) =>
                line.startsWith(':') ? [] : [[line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]],
              ),
          );
          if (fields.data !== undefined)
            events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
        }
      }
      return events.splice(0, count);
    },
    close: () => reader.cancel(),
  };
}

describe('GET /v1/moderation/events', () => {
  it('refuses a request without a key (401, like the queue)', async () => {
    const res = await api.request('/v1/moderation/events');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it("streams held comments of the key's own site (queue items, with email) and decisions made through the api, nothing of other sites", async () => {
    const res = await api.request('/v1/moderation/events', { key: moderatorKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = eventReader(res);

    const mine = await makeComment(ctx.db, {
      siteId: 'eins',
      threadKey: '/a',
      status: 'pending',
      authorEmail: 'leserin@example.org',
      body: 'Bitte prüfen',
    });
    const other = await makeComment(ctx.db, { siteId: 'zwei', threadKey: '/b', status: 'pending' });
    const published = await makeComment(ctx.db, { siteId: 'eins', threadKey: '/a', status: 'approved' });
    // Give the stream a moment to subscribe before the worker's event goes out.
    await new Promise((r) => setTimeout(r, 200));
    await publishChange(publisher, ctx.redisPrefix, {
      type: 'comments.written',
      comments: [
        { siteId: 'zwei', threadKey: '/b', id: other.id, status: 'pending' },
        { siteId: 'eins', threadKey: '/a', id: published.id, status: 'approved' },
        { siteId: 'eins', threadKey: '/a', id: mine.id, status: 'pending' },
      ],
    });
    const [held] = await events.next(1);
    expect(await (await api.request('/metrics')).text()).toMatch(/^stammtisch_moderation_streams(\{[^}]*\})? 1$/m);
    const decided = await api.request(`/v1/moderation/comments/${mine.id}/decision`, {
      method: 'POST',
      key: ADMIN_KEY,
      json: { action: 'approve' },
    });
    expect(decided.status).toBe(200);
    const [decision] = await events.next(1);
    await events.close();
    expect(held).toMatchObject({ event: 'held', id: '1' });
    expect(held!.data).toMatchObject({
      id: mine.id,
      site: 'eins',
      status: 'pending',
      body: 'Bitte prüfen',
      author: { email: 'leserin@example.org' },
      thread: { key: '/a' },
    });
    expect(decision).toEqual({ event: 'decided', id: '2', data: { id: mine.id, status: 'approved', by: 'admin' } });
  });

  it('answers 404 for another site named by a site key', async () => {
    const res = await api.request('/v1/moderation/events?site=zwei', { key: moderatorKey });
    expect(res.status).toBe(404);
  });
});
