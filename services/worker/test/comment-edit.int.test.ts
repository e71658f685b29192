import { identityBanValue } from '@stammtisch/comments';
import { findComment, listCommentVersions, markCommentDeleted, upsertBan } from '@stammtisch/db';
import { createLogger } from '@stammtisch/http';
import { loadBaseModel } from '@stammtisch/spam';
import { type TestContext, createTestContext, makeComment, makeSite, setCommentAuthor } from '@stammtisch/testkit';
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
    const result = await processCommentEdit(deps, {
      commentId: id,
      siteId: 'blog',
      body: 'Tippfehler im Satz, *korrigiert*.',
      editedAt,
    });
    expect(result?.status).toBe('approved');
    const row = await findComment(ctx.db, id);
    expect(row?.body).toBe('Tippfehler im Satz, *korrigiert*.');
    expect(row?.html).toBe('<p>Tippfehler im Satz, <em>korrigiert</em>.</p>');
    expect(row?.editedAt?.getTime()).toBe(editedAt);
    expect((await listCommentVersions(ctx.db, [id])).get(id)).toEqual([
      { body: 'Tippfeler im Satz.', editedAt: new Date(editedAt).toISOString() },
    ]);
    expect(edited).toContain(`${id}:approved`);

    // The same job again (a retry) keeps one earlier version, not two.
    await processCommentEdit(deps, {
      commentId: id,
      siteId: 'blog',
      body: 'Tippfehler im Satz, *korrigiert*.',
      editedAt,
    });
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

  it('files an edit under the same ban policy as a new comment: a shadow ban stays hidden, an account ban holds', async () => {
    await makeSite(ctx.db, { id: 'gebannt', moderation: 'auto' });
    const shadowed = await makeComment(ctx.db, {
      siteId: 'gebannt',
      threadKey: '/b',
      body: 'Vorher.',
      authorEmail: 'schatten@example.org',
    });
    const account = { provider: 'Google', issuer: 'https://accounts.example', subject: 'mallory' };
    const signedIn = await makeComment(ctx.db, {
      siteId: 'gebannt',
      threadKey: '/b',
      body: 'Vorher.',
      authorEmail: null,
    });
    await setCommentAuthor(ctx.db, signedIn.id, { identity: account });
    await upsertBan(ctx.db, {
      siteId: 'gebannt',
      kind: 'email',
      value: 'Schatten@example.org',
      shadow: true,
      createdBy: 'test',
    });
    await upsertBan(ctx.db, {
      siteId: 'gebannt',
      kind: 'identity',
      value: identityBanValue(account),
      shadow: false,
      createdBy: 'test',
    });

    expect(
      (
        await processCommentEdit(deps, {
          commentId: shadowed.id,
          siteId: 'gebannt',
          body: 'Nachher.',
          editedAt: Date.now(),
        })
      )?.status,
    ).toBe('spam');
    expect((await findComment(ctx.db, shadowed.id))?.reasons[0]?.check).toBe('shadow_ban');
    expect(
      (
        await processCommentEdit(deps, {
          commentId: signedIn.id,
          siteId: 'gebannt',
          body: 'Nachher.',
          editedAt: Date.now(),
        })
      )?.status,
    ).toBe('spam');
    expect((await findComment(ctx.db, signedIn.id))?.reasons[0]).toMatchObject({
      check: 'ban',
      detail: 'Author is banned by identity',
    });
  });

  it('drops the edit of a comment its writer deleted meanwhile', async () => {
    const { id } = await makeComment(ctx.db, { siteId: 'blog', threadKey: '/e', body: 'Weg.' });
    await markCommentDeleted(ctx.db, id, new Date());
    expect(
      await processCommentEdit(deps, { commentId: id, siteId: 'blog', body: 'Doch nicht', editedAt: Date.now() }),
    ).toBeNull();
    expect((await findComment(ctx.db, id))?.body).toBe('Weg.');
  });
});
