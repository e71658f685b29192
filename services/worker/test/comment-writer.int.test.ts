import { findOrCreateThread, type NewComment } from '@stammtisch/db';
import { type TestContext, createTestContext, makeSite } from '@stammtisch/testkit';
import type { KyselyPlugin } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommentWriter } from '../src/comment-writer.js';
import { createThreadCache } from '../src/thread-cache.js';

let ctx: TestContext;
let threadId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog' });
  threadId = (await findOrCreateThread(ctx.db, { siteId: 'blog', key: '/artikel' })).id;
});

afterAll(async () => {
  await ctx.cleanup();
});

function row(overrides: Partial<NewComment> = {}): NewComment {
  const id = uuidv7();
  return {
    id,
    siteId: 'blog',
    threadId,
    parentId: null,
    rootId: id,
    depth: 0,
    authorName: 'Anna',
    authorEmail: null,
    authorUrl: null,
    authorIpHash: null,
    authorIdentity: null,
    body: `Kommentar ${id}`,
    bodyHash: `hash-${id}`,
    html: '<p>Kommentar</p>',
    status: 'approved',
    score: 0.1,
    reasons: [],
    createdAt: new Date(),
    decidedAt: new Date(),
    ...overrides,
  };
}

/** Counts the INSERT statements sent through this database handle. */
function countingInserts() {
  let inserts = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (args.node.kind === 'InsertQueryNode') inserts++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: ctx.db.withPlugin(plugin), inserts: () => inserts };
}

describe('createCommentWriter', () => {
  it('writes the comments of concurrent jobs in far fewer INSERTs than comments, each told it was new', async () => {
    const counting = countingInserts();
    const writer = createCommentWriter(counting.db);
    const rows = Array.from({ length: 40 }, () => row());
    const results = await Promise.all(rows.map((r) => writer.write(r)));
    expect(results).toEqual(rows.map(() => true));
    expect(counting.inserts()).toBeLessThan(10);
    const stored = await ctx.db
      .selectFrom('comments')
      .select('id')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(stored).toHaveLength(40);
  });

  it('answers false for a comment whose row is already there, and for the second of the same id in one batch', async () => {
    const writer = createCommentWriter(ctx.db);
    const first = row();
    expect(await writer.write(first)).toBe(true);
    expect(await writer.write(first)).toBe(false);
    const twice = row();
    expect(await Promise.all([writer.write(twice), writer.write(twice), writer.write(row())])).toEqual([true, false, true]);
  });

  it('fails only the bad row of a batch and writes its neighbours', async () => {
    const writer = createCommentWriter(ctx.db);
    const good = [row(), row(), row()];
    const bad = row({ threadId: uuidv7() }); // no such thread: foreign key violation
    const settled = await Promise.allSettled([writer.write(good[0]!), writer.write(good[1]!), writer.write(bad), writer.write(good[2]!)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await ctx.db
      .selectFrom('comments')
      .select('id')
      .where(
        'id',
        'in',
        [...good, bad].map((r) => r.id),
      )
      .execute();
    expect(stored.map((s) => s.id).sort()).toEqual(good.map((r) => r.id).sort());
  });
});

describe('createThreadCache', () => {
  it('looks a thread up once for many comments and creates a new one once for concurrent jobs', async () => {
    let selects = 0;
    const db = ctx.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') selects++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const threads = createThreadCache(db);
    const found = await Promise.all(Array.from({ length: 10 }, () => threads.get({ siteId: 'blog', key: '/neu', title: 'Neu' })));
    expect(new Set(found.map((t) => t.id)).size).toBe(1);
    await threads.get({ siteId: 'blog', key: '/neu' });
    expect(selects).toBe(1);
    threads.invalidateSite('blog');
    expect((await threads.get({ siteId: 'blog', key: '/neu' })).id).toBe(found[0]!.id);
    expect(selects).toBe(2);
  });
});
