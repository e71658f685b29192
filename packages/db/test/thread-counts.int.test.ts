import { countApprovedByThreadKey, findThread, insertComment } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog' });
});
afterAll(async () => ctx.cleanup());

const countOf = async (key: string) => (await countApprovedByThreadKey(ctx.db, 'blog', [key]))[key];

describe("a thread's approved count", () => {
  it('follows inserts, status changes both ways and deletes, and ignores a repeated insert', async () => {
    const a = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/zaehlen' });
    const b = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/zaehlen' });
    await makeComment(ctx.db, { siteId: 'blog', threadKey: '/zaehlen', status: 'pending' });
    expect(await countOf('/zaehlen')).toBe(2);

    // The same row again (a replayed job) changes nothing.
    const row = await ctx.db.selectFrom('comments').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(await insertComment(ctx.db, { ...row, reasons: row.reasons })).toBe(false);
    expect(await countOf('/zaehlen')).toBe(2);

    await ctx.db.updateTable('comments').set({ status: 'spam' }).where('id', '=', b.id).execute();
    expect(await countOf('/zaehlen')).toBe(1);
    await ctx.db.updateTable('comments').set({ status: 'approved' }).where('threadId', '=', a.threadId).execute();
    expect(await countOf('/zaehlen')).toBe(3);
    // An update that leaves the status alone leaves the count alone.
    await ctx.db.updateTable('comments').set({ reportCount: 1 }).where('threadId', '=', a.threadId).execute();
    expect(await countOf('/zaehlen')).toBe(3);
    await ctx.db.deleteFrom('comments').where('id', '=', a.id).execute();
    expect(await countOf('/zaehlen')).toBe(2);
    expect((await findThread(ctx.db, 'blog', '/zaehlen'))?.approvedCount).toBe(2);
  });

  it('counts many threads in one answer, 0 for unknown keys', async () => {
    await makeComment(ctx.db, { siteId: 'blog', threadKey: '/eins' });
    expect(await countApprovedByThreadKey(ctx.db, 'blog', ['/eins', '/zaehlen', '/nie'])).toEqual({
      '/eins': 1,
      '/zaehlen': 2,
      '/nie': 0,
    });
  });
});
