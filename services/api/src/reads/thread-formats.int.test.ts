import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
const THREAD = '/2012/03/kleine-fluchten';
let parentId: string;
let replyId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', settings: { locale: 'de' } });
  api = buildApi(ctx);
  parentId = (
    await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: THREAD,
      authorName: '<script>alert(1)</script> Anna',
      body: 'Erster & bester',
    })
  ).id;
  replyId = (
    await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: THREAD,
      parentId,
      authorName: 'Ben "B" Müller',
      body: 'Antwort',
    })
  ).id;
  await makeComment(ctx.db, { siteId: 'blog', threadKey: THREAD, status: 'pending', body: 'Noch nicht freigegeben' });
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('GET …/comments.html', () => {
  it('renders the approved thread as a German HTML fragment with replies nested and every name escaped', async () => {
    const res = await api.request(`/v1/sites/blog/threads/${encodeURIComponent(THREAD)}/comments.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<h2>2 Kommentare</h2>');
    expect(html).toContain(`<li id="comment-${parentId}">`);
    // The reply sits inside its parent's item.
    expect(html.indexOf(`comment-${replyId}`)).toBeGreaterThan(html.indexOf(`comment-${parentId}`));
    expect(html).toMatch(new RegExp(`<ol class="stammtisch-replies"><li id="comment-${replyId}">`));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Anna');
    expect(html).toContain('Ben &quot;B&quot; Müller');
    expect(html).not.toContain('Noch nicht freigegeben');
  });

  it('says so when a thread has no comments yet', async () => {
    const html = await (await api.request('/v1/sites/blog/threads/%2Fleer/comments.html')).text();
    expect(html).toContain('Noch keine Kommentare.');
  });
});

describe('GET …/comments.atom', () => {
  it('is an Atom feed of the approved comments, newest first', async () => {
    const res = await api.request(`/v1/sites/blog/threads/${encodeURIComponent(THREAD)}/comments.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).toContain(`<id>urn:uuid:${replyId}</id>`);
    expect(xml.indexOf(replyId)).toBeLessThan(xml.indexOf(parentId));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('Noch nicht freigegeben');
  });

  it('answers 404 for an unknown site', async () => {
    expect((await api.request('/v1/sites/nope/threads/%2Fx/comments.atom')).status).toBe(404);
  });
});
