import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiKey, type DB } from '@stammtisch/db';
import {
  type TestContext,
  commentsWithThreads,
  countComments,
  countThreads,
  createTestContext,
  makeComment,
  makeSite,
  setCommentHtml,
  siteComments,
} from '@stammtisch/testkit';
import { renderCommentHtml } from '@stammtisch/comments';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

const fixture = (name: string) =>
  readFile(fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url)), 'utf8');

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await api.queue.waitUntilReady();
});

afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

function importFile(
  siteId: string,
  body: string,
  format: string | undefined,
  contentType: string,
  key = ADMIN_KEY,
  extra = '',
) {
  const query = [format && `format=${format}`, extra].filter(Boolean).join('&');
  return api.request(`/v1/admin/sites/${siteId}/import${query ? `?${query}` : ''}`, {
    method: 'POST',
    key,
    headers: { 'content-type': contentType },
    body,
  });
}

/** Every comment of a site in a form that does not depend on ids: parents are named by their body and time. */
async function commentsOf(db: DB, siteId: string) {
  const rows = await commentsWithThreads(db, siteId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const name = (id: string | null) => {
    const row = id ? byId.get(id) : undefined;
    return row ? `${row.createdAt.toISOString()} ${row.body.slice(0, 40)}` : null;
  };
  return rows.map((r) => ({
    thread: r.threadKey,
    title: r.threadTitle,
    closed: r.threadClosed,
    parent: name(r.parentId),
    root: name(r.rootId),
    depth: r.depth,
    author: [r.authorName, r.authorEmail, r.authorUrl],
    body: r.body,
    html: r.html,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
  }));
}

async function countRows(siteId: string) {
  return { comments: await countComments(ctx.db, { siteId }), threads: await countThreads(ctx.db, siteId) };
}

describe('WordPress WXR import', () => {
  test('imports every comment with its thread, nesting, author, date and status, and counts the pingback as skipped', async () => {
    const site = await makeSite(ctx.db);
    const res = await importFile(site.id, await fixture('wordpress.xml'), 'wxr', 'application/xml');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      imported: 9,
      skipped: 1,
      skippedEntries: [
        {
          line: 133,
          element: 'wp:comment',
          sourceId: '108',
          reason: 'a pingback, and types=comment leaves pingbacks out',
        },
      ],
    });

    const comments = await commentsOf(ctx.db, site.id);
    expect(comments).toHaveLength(9);
    const byBody = (start: string) => comments.find((c) => c.body.startsWith(start))!;

    const anna = byBody('Schöne Geschichte');
    expect(anna).toMatchObject({
      thread: '/2012/03/kleine-fluchten/',
      title: 'Kleine Fluchten',
      parent: null,
      depth: 0,
      status: 'approved',
      author: ['Anna Müller', 'anna@example.org', 'https://anna.example'],
      createdAt: '2012-03-01T11:00:00.000Z',
    });
    // Blank lines become paragraphs, as WordPress shows them; links are marked as user content.
    expect(anna.html).toBe(
      '<p>Schöne Geschichte! 😀 Grüße aus Köln.</p>\n<p>Zweiter Absatz, mit <a href="https://example.org/x" rel="nofollow ugc noopener">Link</a>.</p>',
    );

    const bernd = byBody('Danke!');
    expect(bernd.parent).toBe(anna.root);
    expect(bernd.depth).toBe(1);
    // A javascript: author URL does not survive.
    expect(bernd.author).toEqual(['Bernd', 'bernd@example.org', null]);
    expect(bernd.html).not.toMatch(/<script|alert\("xss"\)|onerror|onclick|javascript:|<img/i);
    expect(bernd.html).toContain('<strong>Fett</strong>');
    expect(bernd.html).toContain('<em>kursiv</em>');
    // The original text is kept as it was.
    expect(bernd.body).toContain('<script>');

    const third = byBody('Gern geschehen');
    expect(third).toMatchObject({ depth: 2, root: anna.root });

    // The reply comes before its parent in the file.
    const early = byBody('Antwort auf einen Kommentar');
    expect(early).toMatchObject({
      status: 'pending',
      depth: 1,
      parent: '2012-03-02T08:00:00.000Z Ich gehe morgen auch.',
    });
    expect(anna.root).toMatch(/^2012-03-01T11:00:00.000Z Schöne Geschichte/);

    expect(byBody('Buy cheap pills').status).toBe('spam');
    expect(byBody('Das war nichts').status).toBe('rejected');
    expect(comments.some((c) => c.body.includes('wie hier beschrieben'))).toBe(false);

    const arabic = byBody('مرحبا');
    // Keyed by the URL path, as the widget keys the page.
    expect(arabic).toMatchObject({
      thread: '/2013/%C3%BCber-uns/',
      closed: true,
      author: ['مريم', 'maryam@example.org', null],
      createdAt: '2013-05-01T10:00:00.000Z',
    });
    expect(arabic.html).toBe('<p>مرحبا! Zalgo: Z̷̢a̶l̸g̵o and zero​width and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧</p>');
    expect(arabic.title).toBe('Über uns — «Ἀθῆναι» ‮RTL‬');
    const anonymous = byBody('Zeile eins');
    expect(anonymous).toMatchObject({ author: ['Anonymous', null, null], depth: 1 });
    expect(anonymous.html).toBe('<p>Zeile eins<br />\nZeile zwei</p>');
  });

  test('a second import of the same file adds nothing', async () => {
    const site = await makeSite(ctx.db);
    const xml = await fixture('wordpress.xml');
    expect(await (await importFile(site.id, xml, 'wxr', 'text/xml')).json()).toMatchObject({ imported: 9, skipped: 1 });
    const before = await commentsOf(ctx.db, site.id);
    const again = (await (await importFile(site.id, xml, 'wxr', 'text/xml')).json()) as {
      imported: number;
      skipped: number;
      skippedEntries: Array<{ reason: string }>;
    };
    expect(again).toMatchObject({ imported: 0, skipped: 10 });
    expect(again.skippedEntries.map((e) => e.reason).filter((r) => r === 'already imported')).toHaveLength(9);
    expect(await commentsOf(ctx.db, site.id)).toEqual(before);
  });

  test('imported approved comments show in the public thread, replies after their parents', async () => {
    const site = await makeSite(ctx.db);
    await importFile(site.id, await fixture('wordpress.xml'), undefined, 'application/xml');
    const res = await api.request(
      `/v1/sites/${site.id}/threads/${encodeURIComponent('/2012/03/kleine-fluchten/')}/comments`,
    );
    const body = (await res.json()) as {
      thread: { count: number };
      comments: Array<{ id: string; parentId: string | null; html: string }>;
    };
    expect(body.thread.count).toBe(4);
    const starts = [
      '<p>Schöne Geschichte',
      '<p>Danke! <strong>Fett',
      '<p>Gern geschehen &amp;',
      '<p>Ich gehe morgen auch',
    ];
    expect(body.comments.map((c, i) => c.html.startsWith(starts[i]!))).toEqual([true, true, true, true]);
    expect(body.comments[1]!.parentId).toBe(body.comments[0]!.id);
    expect(body.comments[2]!.parentId).toBe(body.comments[1]!.id);
  });

  test('a malformed file is a 400 naming the line, and leaves nothing behind even after many batches', async () => {
    const site = await makeSite(ctx.db);
    const comments = Array.from(
      { length: 1200 },
      (_, i) =>
        `<wp:comment><wp:comment_id>${i + 1}</wp:comment_id><wp:comment_author>A</wp:comment_author><wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt><wp:comment_content>Text ${i}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`,
    ).join('\n');
    const xml = `<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n<item><title>T</title><link>https://blog.example/t</link>\n${comments}\n<wp:comment><wp:comment_id>x</wp:comment_id><wp:comment_content>1 < 2</wp:comment_content></wp:comment>\n</item></channel></rss>`;
    const res = await importFile(site.id, xml, 'wxr', 'application/xml');
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; message: string; details: Array<{ path: string; message: string }> };
    };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/line 1204/);
    expect(body.error.message).toMatch(/<wp:comment_content>: column \d+: /);
    expect(body.error.details[0]!.path).toMatch(/^line 1204/);
    expect(await countRows(site.id)).toEqual({ comments: 0, threads: 0 });
  });

  test('a comment with a bad date is skipped and listed by line and element; strict=true makes it a 400', async () => {
    const site = await makeSite(ctx.db);
    const xml = (await fixture('wordpress.xml')).replace(
      '2012-03-01 12:00:00]]></wp:comment_date_gmt>',
      'gestern]]></wp:comment_date_gmt>',
    );
    const lenient = await importFile(site.id, xml, 'wxr', 'application/xml', ADMIN_KEY, 'dryRun=true');
    expect(await lenient.json()).toMatchObject({
      imported: 8,
      skipped: 2,
      dryRun: true,
      skippedEntries: [
        { line: 61, element: 'wp:comment_date_gmt', sourceId: '102', reason: '"gestern" is not a date' },
        { sourceId: '108' },
      ],
    });
    const res = await importFile(site.id, xml, 'wxr', 'application/xml', ADMIN_KEY, 'strict=true');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/line 61, <wp:comment_date_gmt>: "gestern" is not a date/);
    expect(await countRows(site.id)).toEqual({ comments: 0, threads: 0 });
  });

  test('a Disqus file sent as format=wxr is refused, and an unknown root element too', async () => {
    const site = await makeSite(ctx.db);
    const wrong = await importFile(site.id, await fixture('disqus.xml'), 'wxr', 'application/xml');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/Disqus/);
    const unknown = await importFile(
      site.id,
      '<?xml version="1.0"?><html><body/></html>',
      undefined,
      'application/xml',
    );
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/line 1, <html>/);
  });
});

describe('Disqus import', () => {
  test('imports posts with threads, nesting (also to later posts), authors and spam/deleted/unapproved states', async () => {
    const site = await makeSite(ctx.db);
    const res = await importFile(site.id, await fixture('disqus.xml'), 'disqus', 'application/xml');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 8, skipped: 0, skippedEntries: [] });
    const comments = await commentsOf(ctx.db, site.id);
    const byBody = (start: string) => comments.find((c) => c.body.includes(start))!;
    expect(byBody('Erster!')).toMatchObject({
      thread: '/2012/03/kleine-fluchten/',
      status: 'approved',
      depth: 0,
      author: ['Anna Müller', 'anna@example.org', null],
      createdAt: '2012-03-01T11:00:00.000Z',
    });
    const reply = byBody('Antwort <script>');
    expect(reply).toMatchObject({ depth: 1, status: 'approved' });
    expect(reply.html).toBe('<p>Antwort <strong>fett</strong></p><p>Zweiter Absatz</p>');
    expect(byBody('Dritte Ebene')).toMatchObject({ depth: 2, author: ['Gast', null, null] });
    expect(byBody('cheap pills').status).toBe('spam');
    expect(byBody('Gelöscht').status).toBe('rejected');
    expect(byBody('Wartet auf Freigabe')).toMatchObject({
      status: 'pending',
      thread: '/2014/gr%C3%BC%C3%9Fe/',
      title: 'Grüße & Küsse',
      closed: true,
    });
    expect(byBody('Antwort auf einen späteren')).toMatchObject({
      depth: 1,
      parent: '2014-01-02T12:00:00.000Z <p>Der spätere Beitrag</p>',
    });

    expect(
      await (await importFile(site.id, await fixture('disqus.xml'), 'disqus', 'application/xml')).json(),
    ).toMatchObject({ imported: 0, skipped: 8 });
  });

  test('with strict=true, a post of a thread the file never defined is a 400 naming the line', async () => {
    const site = await makeSite(ctx.db);
    const xml = (await fixture('disqus.xml')).replace(
      '<thread dsq:id="5002" />\n    <parent dsq:id="7008" />',
      '<thread dsq:id="9999" />',
    );
    const res = await importFile(site.id, xml, 'disqus', 'text/xml', ADMIN_KEY, 'strict=true');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /line 91, <post>: its thread \(dsq:id "9999"\) is not in the file/,
    );
    expect(await countRows(site.id)).toEqual({ comments: 0, threads: 0 });
  });
});

describe('NDJSON export and import', () => {
  test('export is NDJSON of every comment of every status; importing it into a new site yields the same comments', async () => {
    const source = await makeSite(ctx.db);
    await importFile(source.id, await fixture('wordpress.xml'), 'wxr', 'application/xml');
    // Comments written through the widget have Markdown bodies.
    const top = await makeComment(ctx.db, {
      siteId: source.id,
      threadKey: '/markdown',
      body: 'Ein *Markdown*-Kommentar mit `code`',
      createdAt: new Date('2020-01-01T00:00:00Z'),
    });
    await makeComment(ctx.db, {
      siteId: source.id,
      threadKey: '/markdown',
      parentId: top.id,
      status: 'pending',
      body: 'Antwort\n\n> Zitat',
      createdAt: new Date('2020-01-01T00:01:00Z'),
    });
    // As the worker renders them.
    for (const row of await siteComments(ctx.db, source.id)) {
      if (row.threadId === top.threadId) await setCommentHtml(ctx.db, row.id, renderCommentHtml(row.body));
    }

    const res = await api.request(`/v1/admin/sites/${source.id}/export`, { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await res.text();
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; site: string });
    expect(lines).toHaveLength(11);
    expect(new Set(lines.map((l) => l.status))).toEqual(new Set(['approved', 'pending', 'spam', 'rejected']));

    const target = await makeSite(ctx.db);
    const imported = await importFile(target.id, text, 'ndjson', 'application/x-ndjson');
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ imported: 11, skipped: 0, skippedEntries: [] });
    expect(await commentsOf(ctx.db, target.id)).toEqual(await commentsOf(ctx.db, source.id));
    expect(await (await importFile(target.id, text, 'ndjson', 'application/x-ndjson')).json()).toMatchObject({
      imported: 0,
      skipped: 11,
    });
  });

  test("importing a site's own export keeps its ids and adds nothing", async () => {
    const site = await makeSite(ctx.db);
    await importFile(site.id, await fixture('disqus.xml'), 'disqus', 'application/xml');
    const text = await (await api.request(`/v1/admin/sites/${site.id}/export`, { key: ADMIN_KEY })).text();
    expect(await (await importFile(site.id, text, undefined, 'application/x-ndjson')).json()).toMatchObject({
      imported: 0,
      skipped: 8,
    });
  });

  test('a bad line is skipped and listed with its fields; with strict=true a 400 naming the line, and nothing is kept', async () => {
    const site = await makeSite(ctx.db);
    const good = JSON.stringify({
      id: 'a',
      thread: { key: '/t' },
      author: { name: 'A' },
      body: 'Hallo',
      createdAt: '2020-01-01T00:00:00Z',
    });
    const bad = JSON.stringify({ id: 'b', thread: { key: '' }, author: { name: 'B' }, body: 'x', createdAt: 'soon' });
    const lenient = await importFile(
      site.id,
      `${good}\n\n${bad}\n{"id": \n`,
      'ndjson',
      'application/x-ndjson',
      ADMIN_KEY,
      'dryRun=true',
    );
    expect(await lenient.json()).toEqual({
      imported: 1,
      skipped: 2,
      dryRun: true,
      skippedEntries: [
        {
          line: 3,
          element: null,
          sourceId: 'b',
          reason: 'thread.key: must not be empty; createdAt: must be a date (ISO 8601)',
        },
        { line: 4, element: null, sourceId: null, reason: 'not valid JSON' },
      ],
    });
    const res = await importFile(
      site.id,
      `${good}\n\n${bad}\n`,
      'ndjson',
      'application/x-ndjson',
      ADMIN_KEY,
      'strict=true',
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/line 3: thread\.key: must not be empty; createdAt: must be a date/);
    const notJson = await importFile(
      site.id,
      `${good}\n{"id": \n`,
      'ndjson',
      'application/x-ndjson',
      ADMIN_KEY,
      'strict=true',
    );
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/line 2: not valid JSON/);
    expect(await countRows(site.id)).toEqual({ comments: 0, threads: 0 });
  });

  test('a WXR export imports back into a new site with the same threads, nesting, authors, dates and states', async () => {
    const source = await makeSite(ctx.db);
    await importFile(source.id, await fixture('wordpress.xml'), 'wxr', 'application/xml');
    const res = await api.request(`/v1/admin/sites/${source.id}/export?format=wxr`, { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const wxr = await res.text();
    const target = await makeSite(ctx.db);
    expect(await (await importFile(target.id, wxr, 'wxr', 'application/xml')).json()).toEqual({
      imported: 9,
      skipped: 0,
      skippedEntries: [],
    });
    // WordPress keeps HTML, so the body comes back as the sanitized HTML; everything else is the same.
    const strip = (rows: Awaited<ReturnType<typeof commentsOf>>) =>
      rows.map(({ body: _b, parent, root, ...rest }) => ({
        ...rest,
        parent: parent?.slice(0, 24) ?? null,
        root: root?.slice(0, 24),
      }));
    expect(strip(await commentsOf(ctx.db, target.id))).toEqual(strip(await commentsOf(ctx.db, source.id)));
  });
});

describe('import and export access', () => {
  test('owners may import and export their site; moderators may not; other sites read as not found', async () => {
    const site = await makeSite(ctx.db);
    const other = await makeSite(ctx.db);
    const owner = await createApiKey(ctx.db, { siteId: site.id, role: 'owner' });
    const moderator = await createApiKey(ctx.db, { siteId: site.id, role: 'moderator' });
    expect((await api.request(`/v1/admin/sites/${site.id}/export`, { key: owner.key })).status).toBe(200);
    expect((await api.request(`/v1/admin/sites/${site.id}/export`, { key: moderator.key })).status).toBe(403);
    expect((await api.request(`/v1/admin/sites/${other.id}/export`, { key: owner.key })).status).toBe(404);
    expect(
      (await importFile(site.id, await fixture('disqus.xml'), 'disqus', 'application/xml', owner.key)).status,
    ).toBe(200);
    expect((await importFile(site.id, '', 'ndjson', 'application/x-ndjson', moderator.key)).status).toBe(403);
    expect((await api.request(`/v1/admin/sites/${site.id}/export`)).status).toBe(401);
  });

  test('answers 415 for other content types and 413 for a declared size over 1 GiB', async () => {
    const site = await makeSite(ctx.db);
    const json = await importFile(site.id, '{}', 'ndjson', 'application/json');
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    expect((await importFile(site.id, '<rss/>', 'wxr', 'application/x-ndjson')).status).toBe(415);
    const huge = await api.request(`/v1/admin/sites/${site.id}/import?format=ndjson`, {
      method: 'POST',
      key: ADMIN_KEY,
      headers: { 'content-type': 'application/x-ndjson', 'content-length': String(2 * 1024 ** 3) },
      body: '',
    });
    expect(huge.status).toBe(413);
  });
});
