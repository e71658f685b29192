import { createLogger } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/contract';
import { type TestContext, commentRow, createTestContext, makeSite } from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processComment } from '../src/processors/comment.js';
import { createSiteContextCache } from '../src/site-context.js';

// A worker can die (or lose Redis) after the comment row is written but before
// the comment's events (webhooks, mails) are queued. The retried job finds the
// row stored; it must then queue the events again, or they are lost for good.

let ctx: TestContext;
const logger = createLogger({ service: 'worker-test', level: 'silent' });

function job(): CommentJob {
  return {
    id: uuidv7(),
    siteId: 'wieder',
    thread: { key: '/wieder', url: null, title: null },
    author: { name: 'Anna', email: null, url: null },
    body: 'Ein Kommentar, dessen erster Lauf mittendrin abbricht.',
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: 'iphash-wieder',
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'wieder', moderation: 'post' });
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('a comment job retried after its row was written', () => {
  it('hands the stored comment to onCommentReplayed, so its events are queued after all', async () => {
    const data = job();
    const replayed: Array<{ commentId: string; status: string }> = [];
    const siteContexts = createSiteContextCache(ctx.db);
    const failing = {
      db: ctx.db,
      siteContexts,
      logger,
      onCommentWritten: async () => {
        throw new Error('Redis went away before the events were queued');
      },
      onCommentReplayed: async (event: { commentId: string; status: string }) => void replayed.push(event),
    };
    await expect(processComment(failing, data)).rejects.toThrow('Redis went away');
    expect(replayed).toEqual([]);

    const retried = await processComment({ ...failing, onCommentWritten: async () => {} }, data);
    expect(retried?.written).toBe(false);
    const stored = await commentRow(ctx.db, data.id);
    expect(replayed).toEqual([expect.objectContaining({ commentId: data.id, status: stored.status })]);
  });
});
