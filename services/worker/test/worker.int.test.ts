import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { findComment } from '@stammtisch/db';
import { COMMENT_JOB_OPTIONS, type CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, createWorkerConnection } from '@stammtisch/queue';
import { type TestContext, countComments, createTestContext, makeSite } from '@stammtisch/testkit';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processComment } from '../src/processors/comment.js';
import { createSiteContextCache } from '../src/site-context.js';
import { createCommentWorker } from '../src/worker.js';

let ctx: TestContext;
let connection: Redis;
let queue: Queue;
let worker: Worker;
const written: string[] = [];
let serial = 0;
const logger = createLogger({ service: 'worker-test', level: 'silent' });

function job(overrides: Partial<CommentJob> = {}): CommentJob {
  return {
    id: uuidv7(),
    siteId: 'blog',
    thread: { key: '/artikel', url: 'https://blog.example/artikel', title: 'Ein Artikel' },
    author: { name: 'Anna', email: 'anna@example.org', url: null },
    body: `Danke für den Artikel, das hat mir den Tag gerettet. (${++serial})`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: 'iphash-anna',
    ...overrides,
  };
}

async function waitForComment(id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await findComment(ctx.db, id);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`comment ${id} was not written within ${timeoutMs} ms`);
}

function deps() {
  return {
    db: ctx.db,
    siteContexts: createSiteContextCache(ctx.db),
    logger,
    onCommentWritten: async (e: { commentId: string }) => void written.push(e.commentId),
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'post' });
  await makeSite(ctx.db, { id: 'strict', moderation: 'pre' });
  connection = createWorkerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  worker = createCommentWorker({
    ...deps(),
    connection: createWorkerConnection(ctx.redisUrl),
    prefix: ctx.redisPrefix,
    concurrency: 5,
    registry: createMetricsRegistry('w'),
  });
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  await connection.quit();
  await ctx.cleanup();
});

describe('the comment worker', () => {
  it('decides a queued comment, renders it and writes it with its score and reasons', async () => {
    const data = job({ body: 'Ein *schöner* Text über kleine Fluchten aus dem Alltag.' });
    await queue.add('comment', data, { ...COMMENT_JOB_OPTIONS, jobId: data.id });
    const row = await waitForComment(data.id);
    expect(row.status).toBe('approved');
    expect(row.html).toContain('<em>schöner</em>');
    expect(row.score).toBeGreaterThanOrEqual(0);
    expect(row.score).toBeLessThanOrEqual(1);
    expect(Array.isArray(row.reasons)).toBe(true);
    expect(row.reasons.length).toBeGreaterThan(0);
    expect(row.createdAt.getTime()).toBe(data.receivedAt);
  });

  it('leaves exactly one row when the same job is processed twice, and reports only the first write', async () => {
    const data = job();
    const first = await processComment(deps(), data);
    const second = await processComment(deps(), data);
    expect(first?.written).toBe(true);
    expect(second?.written).toBe(false);
    // Even a second queue job with the same payload (a replay) changes nothing.
    await queue.add('comment', data, { ...COMMENT_JOB_OPTIONS, jobId: `${data.id}-replay` });
    await new Promise((r) => setTimeout(r, 300));
    expect(await countComments(ctx.db, { id: data.id })).toBe(1);
    expect(written.filter((id) => id === data.id)).toHaveLength(1);
  });

  it('holds every non-spam comment on a site in pre-moderation', async () => {
    const data = job({ siteId: 'strict' });
    expect((await processComment(deps(), data))?.status).toBe('pending');
  });

  it('classifies a filled honeypot as spam', async () => {
    const data = job({ honeypot: 'http://cheap.example' });
    expect((await processComment(deps(), data))?.status).toBe('spam');
  });

  it('nests a reply under its approved parent, and keeps a reply to an unknown parent as a held top-level comment', async () => {
    const parent = job();
    await processComment(deps(), parent);
    const reply = job({ parentId: parent.id, author: { name: 'Ben' }, ipHash: 'iphash-ben' });
    await processComment(deps(), reply);
    const replyRow = await waitForComment(reply.id);
    expect(replyRow.parentId).toBe(parent.id);
    expect(replyRow.rootId).toBe(parent.id);
    expect(replyRow.depth).toBe(1);

    const orphan = job({ parentId: uuidv7(), author: { name: 'Cem' }, ipHash: 'iphash-cem' });
    await processComment(deps(), orphan);
    const orphanRow = await waitForComment(orphan.id);
    expect(orphanRow.parentId).toBeNull();
    expect(orphanRow.status).toBe('pending');
    expect(orphanRow.body).toBe(orphan.body);
  });

  it('fails a malformed job for good instead of retrying it forever', async () => {
    const bad = await queue.add('comment', { id: 'not-a-uuid' }, { ...COMMENT_JOB_OPTIONS, jobId: 'malformed-1' });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await bad.isFailed())) await new Promise((r) => setTimeout(r, 25));
    expect(await bad.isFailed()).toBe(true);
    const state = await queue.getJob('malformed-1');
    expect(state?.attemptsMade).toBe(1);
  });
});
