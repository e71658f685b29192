import { findComment, listCommentVersions, markCommentDeleted } from '@stammtisch/db';
import { createLogger } from '@stammtisch/http';
import { loadBaseModel } from '@stammtisch/spam';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCommentEdit } from '../src/processors/comment-edit.js';
import { createSiteContextCache } from '../src/site-context.js';

let ctx: TestContext;
let deps: Parameters<typeof processCommentEdit>[0];
const edited: string[] = [];

beforeAll(async () => {
  // Train the shipped model first, as the worker does at start: it blocks for seconds.
  loadBaseModel();
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'auto', settings: { bannedWords: ['casino'] } });
  deps = {
    db: ctx.db,
    siteContexts: createSiteContextCache(ctx.db),
    logger: createLogger({ service: 'worker-test', level: 'silent' }),
    onCommentEdited: async (event) => void edited.push(`${event.commentId}:${event.status}`),
  };
});
afterAll(() => ctx.cleanup());

describe('a comment.edit job', () => {
  it('replaces the text once the spam checks pass, keeps the old text as an earlier version, and sets editedAt', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/e', body: 'Tippfeler im Satz.' });
    const editedAt = Date.now();
    const result = await processCommentEdit(deps, { commentId: id, siteId: 'blog', body: 'Tippfehler im Satz, *korrigiert*.', editedAt });
    expect(result?.status).toBe('approved');
    const row = await findComment(ctx.db, id);
    expect(row?.body).toBe('Tippfehler im Satz, *korrigiert*.');
    expect(row?.html).toBe('<p>Tippfehler im Satz, <em>korrigiert</em>.</p>');
    expect(row?.editedAt?.getTime()).toBe(editedAt);
    expect((await listCommentVersions(ctx.db, [id])).get(id)).toEqual([{ body: 'Tippfeler im Satz.', editedAt: new Date(editedAt).toISOString() }]);
    expect(edited).toContain(`${id}:approved`);

    // The same job again (a retry) keeps one earlier version, not two.
    await processCommentEdit(deps, { commentId: id, siteId: 'blog', body: 'Tippfehler im Satz, *korrigiert*.', editedAt });
    expect((await listCommentVersions(ctx.db, [id])).get(id)).toHaveLength(1);
  });

  it('takes a published comment out of the thread when the edit turns it into spam', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/e', body: 'Harmlos.' });
    const result = await processCommentEdit(deps, {
      commentId: id,
      siteId: 'blog',
      body: 'Jetzt casino casino casino http://x.example http://y.example',
      editedAt: Date.now(),
    });
    expect(result?.status).not.toBe('approved');
    expect((await findComment(ctx.db, id))?.status).not.toBe('approved');
  });

  it('drops the edit of a comment its writer deleted meanwhile', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/e', body: 'Weg.' });
    await markCommentDeleted(ctx.db, id, new Date());
    expect(await processCommentEdit(deps, { commentId: id, siteId: 'blog', body: 'Doch nicht', editedAt: Date.now() })).toBeNull();
    expect((await findComment(ctx.db, id))?.body).toBe('Weg.');
  });
});
