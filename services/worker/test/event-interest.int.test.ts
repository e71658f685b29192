import { createWebhook } from '@stammtisch/db';
import { EVENTS_QUEUE, createWorkerConnection } from '@stammtisch/queue';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueCommentWrittenEvents } from '../src/comment-events.js';
import { createEventInterestCache } from '../src/event-interest.js';

let ctx: TestContext;
let connection: Redis;
let eventsQueue: Queue;

beforeAll(async () => {
  ctx = await createTestContext();
  connection = createWorkerConnection(ctx.redisUrl);
  eventsQueue = new Queue(EVENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'still' });
  await makeSite(ctx.db, { id: 'hooked' });
  await createWebhook(ctx.db, {
    siteId: 'hooked',
    url: 'https://hooks.example/x',
    events: ['comment.approved'],
    secret: 'whsec_dGVzdA==',
  });
});
afterAll(async () => {
  await eventsQueue.close();
  await connection.quit();
  await ctx.cleanup();
});

async function queuedTypes(): Promise<string[]> {
  const jobs = await eventsQueue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((j) => `${j.data.siteId}:${j.data.type}`).sort();
}

describe('queueing comment events', () => {
  it('queues only the events a webhook listens to or a mail needs, none for a site nobody listens to', async () => {
    const interest = createEventInterestCache(ctx.db);
    const deps = { db: ctx.db, eventsQueue, emailsQueue: null, interest: (siteId: string) => interest.get(siteId) };
    const quiet = await makeComment(ctx.db, { siteId: 'still', threadKey: '/a' });
    const heard = await makeComment(ctx.db, { siteId: 'hooked', threadKey: '/a' });
    await queueCommentWrittenEvents(deps, { siteId: 'still', commentId: quiet.id, status: 'approved' });
    await queueCommentWrittenEvents(deps, { siteId: 'hooked', commentId: heard.id, status: 'approved' });
    expect(await queuedTypes()).toEqual(['hooked:comment.approved']);
  });

  it('queues every event when it is not told who listens', async () => {
    await eventsQueue.obliterate({ force: true });
    const comment = await makeComment(ctx.db, { siteId: 'still', threadKey: '/b' });
    await queueCommentWrittenEvents(
      { db: ctx.db, eventsQueue, emailsQueue: null },
      { siteId: 'still', commentId: comment.id, status: 'approved' },
    );
    expect(await queuedTypes()).toEqual(['still:comment.approved', 'still:comment.received']);
  });
});
