import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type TestContext, commentsWithThreads, countThreads, createTestContext, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

// Export files with the quirks real WordPress and Disqus exports have
// (fixtures/wordpress-*.xml, fixtures/disqus-odd.xml, written after the WXR
// 1.2 exporter's element order and Disqus' export schema): each case of
// issue 17 — one odd entry refusing the file, a repeated comment id lost,
// private things published, `?p=N` posts merged into `/`.

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

interface Answer {
  imported: number;
  skipped: number;
  skippedEntries: Array<{ line: number | null; element: string | null; sourceId: string | null; reason: string }>;
  dryRun?: true;
}

async function importFile(siteId: string, name: string, query = '') {
  const res = await api.request(`/v1/admin/sites/${siteId}/import${query ? `?${query}` : ''}`, {
    method: 'POST',
    key: ADMIN_KEY,
    headers: { 'content-type': 'application/xml' },
    body: await fixture(name),
  });
  return { status: res.status, body: (await res.json()) as Answer & { error?: { message: string } } };
}

/** Comments of a site by body: thread key, status, parent's body, author, date and the import note. */
async function comments(siteId: string) {
  const rows = await commentsWithThreads(ctx.db, siteId);
  const bodyOf = new Map(rows.map((r) => [r.id, r.body]));
  return new Map(
    rows.map((r) => [
      r.body.replace(/<\/?p>/g, ''),
      {
        thread: r.threadKey,
        status: r.status,
        parent: r.parentId ? (bodyOf.get(r.parentId) ?? 'missing') : null,
        author: r.authorName,
        createdAt: r.createdAt.toISOString(),
        detail: (r.reasons as Array<{ detail: string }>)[0]!.detail,
      },
    ]),
  );
}

async function publicThread(siteId: string, key: string) {
  const res = await api.request(`/v1/sites/${siteId}/threads/${encodeURIComponent(key)}/comments`);
  return ((await res.json()) as { comments: Array<{ html: string }> }).comments.map((c) =>
    c.html.replace(/<\/?p>/g, ''),
  );
}

describe('WordPress plain permalinks and repeated comment ids (defects 2 and 4)', () => {
  test('posts linked as ?p=N stay separate threads, keyed so the widget on that post finds them', async () => {
    const site = await makeSite(ctx.db);
    const { body } = await importFile(site.id, 'wordpress-plain-permalinks.xml', 'format=wxr');
    const rows = await comments(site.id);
    expect(rows.get('Erster Kommentar zu Hallo Welt')?.thread).toBe('/?p=1');
    expect(rows.get('Carla zum zweiten Beitrag')?.thread).toBe('/?p=2');
    expect(rows.get('Wer steht im Impressum?')?.thread).toBe('/?page_id=7');
    // The widget reads the thread by its key (data-thread="/?p=2").
    expect(await publicThread(site.id, '/?p=2')).toEqual(['Carla zum zweiten Beitrag', 'Dieter antwortet Carla']);
    expect(await publicThread(site.id, '/')).toEqual([]);
    expect(body).toMatchObject({ imported: 5, skipped: 0 });
  });

  test('a comment id repeated in another post imports both comments, each reply under its own parent, and twice adds nothing', async () => {
    const site = await makeSite(ctx.db);
    expect((await importFile(site.id, 'wordpress-plain-permalinks.xml')).body).toEqual({
      imported: 5,
      skipped: 0,
      skippedEntries: [],
    });
    const rows = await comments(site.id);
    expect(rows.get('Erster Kommentar zu Hallo Welt')).toMatchObject({
      author: 'Anna',
      createdAt: '2015-01-10T11:05:00.000Z',
    });
    expect(rows.get('Carla zum zweiten Beitrag')).toMatchObject({
      author: 'Carla',
      createdAt: '2016-02-01T09:00:00.000Z',
    });
    expect(rows.get('Antwort an Anna')?.parent).toBe('Erster Kommentar zu Hallo Welt');
    expect(rows.get('Dieter antwortet Carla')?.parent).toBe('Carla zum zweiten Beitrag');

    const again = await importFile(site.id, 'wordpress-plain-permalinks.xml');
    expect(again.body).toMatchObject({ imported: 0, skipped: 5 });
    expect(new Set(again.body.skippedEntries.map((e) => e.reason))).toEqual(new Set(['already imported']));
    expect((await comments(site.id)).size).toBe(5);
  });

  test('threadKey=path, post_id and guid key the posts as asked, and no comment is lost even when posts share a thread', async () => {
    const path = await makeSite(ctx.db);
    expect((await importFile(path.id, 'wordpress-plain-permalinks.xml', 'threadKey=path')).body).toMatchObject({
      imported: 5,
      skipped: 0,
    });
    const merged = await comments(path.id);
    expect(new Set([...merged.values()].map((c) => c.thread))).toEqual(new Set(['/']));
    expect(merged.get('Dieter antwortet Carla')?.parent).toBe('Carla zum zweiten Beitrag');
    expect(merged.get('Antwort an Anna')?.parent).toBe('Erster Kommentar zu Hallo Welt');

    const byId = await makeSite(ctx.db);
    await importFile(byId.id, 'wordpress-plain-permalinks.xml', 'threadKey=post_id');
    expect(new Set([...(await comments(byId.id)).values()].map((c) => c.thread))).toEqual(new Set(['1', '2', '7']));

    const byGuid = await makeSite(ctx.db);
    await importFile(byGuid.id, 'wordpress-plain-permalinks.xml', 'threadKey=guid');
    expect((await comments(byGuid.id)).get('Wer steht im Impressum?')?.thread).toBe(
      'https://altes-blog.example/?page_id=7',
    );
  });

  test('bad options are a 400 naming the field', async () => {
    const site = await makeSite(ctx.db);
    for (const query of ['threadKey=slug', 'types=comment,note', 'strict=yes', 'dryRun=1']) {
      const { status, body } = await importFile(site.id, 'wordpress-plain-permalinks.xml', query);
      expect(status).toBe(400);
      expect(body.error?.message).toContain(query.split('=')[0]);
    }
  });
});

describe('WordPress privacy (defect 3)', () => {
  test('comments of password-protected, private and draft posts arrive held; notes and pings are skipped and listed', async () => {
    const site = await makeSite(ctx.db);
    const { body } = await importFile(site.id, 'wordpress-private.xml');
    expect(body).toMatchObject({ imported: 5, skipped: 3 });
    expect(body.skippedEntries.map(({ element, sourceId, reason }) => ({ element, sourceId, reason }))).toEqual([
      {
        element: 'wp:comment',
        sourceId: '21',
        reason: 'an editorial note (<wp:comment_type> note), not a reader comment',
      },
      { element: 'wp:comment', sourceId: '22', reason: 'a pingback, and types=comment leaves pingbacks out' },
      { element: 'wp:comment', sourceId: '23', reason: 'a trackback, and types=comment leaves trackbacks out' },
    ]);
    const rows = await comments(site.id);
    expect(rows.get('Ein ganz normaler Kommentar')?.status).toBe('approved');
    expect(rows.get('Passwortgeschützter Kommentar')).toMatchObject({
      status: 'pending',
      detail: 'Imported (wxr); held: its post is password-protected',
    });
    expect(rows.get('Kommentar zu einem privaten Beitrag')).toMatchObject({
      status: 'pending',
      detail: 'Imported (wxr); held: its post is private',
    });
    expect(rows.get('cheap pills')?.status).toBe('spam');
    expect(rows.get('Kommentar zu einem Entwurf')).toMatchObject({
      status: 'pending',
      detail: 'Imported (wxr); held: its post is draft',
    });
    expect([...rows.keys()].some((b) => b.startsWith('Notiz'))).toBe(false);
    expect(await publicThread(site.id, '/2018/geschuetzt/')).toEqual([]);
    expect(await publicThread(site.id, '/2018/privat/')).toEqual([]);
  });

  test('types=comment,pingback,trackback imports pings too; editorial notes never', async () => {
    const site = await makeSite(ctx.db);
    const { body } = await importFile(site.id, 'wordpress-private.xml', 'types=comment,pingback,trackback');
    expect(body).toMatchObject({ imported: 7, skipped: 1, skippedEntries: [{ sourceId: '21' }] });
    expect((await comments(site.id)).get('Trackback-Auszug')).toMatchObject({
      status: 'approved',
      author: 'Noch ein Blog',
    });
  });
});

describe('odd WordPress entries do not refuse the file (defect 1)', () => {
  test('a comment without <wp:comment_date> takes its GMT date or the post date; an <item> without <link> keys by /?p=N; the rest is listed', async () => {
    const site = await makeSite(ctx.db);
    const { status, body } = await importFile(site.id, 'wordpress-odd.xml');
    expect(status).toBe(200);
    expect(body).toEqual({
      imported: 5,
      skipped: 2,
      skippedEntries: [
        { line: 106, element: 'wp:comment_date', sourceId: '43', reason: '"gestern" is not a date' },
        {
          line: 160,
          element: 'item',
          sourceId: '45',
          reason: 'its post has no <link>, <wp:post_id> or <guid> to key a thread by',
        },
      ],
    });
    const rows = await comments(site.id);
    expect(rows.get('Ganz ohne Datum')).toMatchObject({
      createdAt: '2019-05-01T08:00:00.000Z',
      detail: "Imported (wxr); no date in the file: the post's date",
    });
    expect(rows.get('Nur mit GMT-Datum')?.createdAt).toBe('2019-05-03T08:00:00.000Z');
    expect(rows.get('Kommentar zu einem Beitrag ohne link')).toMatchObject({ thread: '/?p=31', status: 'approved' });
    // <wp:status>private</wp:status> after the comments still holds them.
    expect(rows.get('Kommentar vor dem Status')).toMatchObject({
      status: 'pending',
      detail: 'Imported (wxr); held: its post is private',
    });
  });

  test('strict=true refuses the file at the first bad entry, naming its line and element; dryRun=true writes nothing', async () => {
    const site = await makeSite(ctx.db);
    const strict = await importFile(site.id, 'wordpress-odd.xml', 'strict=true');
    expect(strict.status).toBe(400);
    expect(strict.body.error?.message).toBe(
      'the file cannot be imported, nothing was: line 106, <wp:comment_date>: "gestern" is not a date',
    );
    const dry = await importFile(site.id, 'wordpress-odd.xml', 'dryRun=true');
    expect(dry.body).toMatchObject({ imported: 5, skipped: 2, dryRun: true });
    expect((await comments(site.id)).size).toBe(0);
    expect(await countThreads(ctx.db, site.id)).toBe(0);
  });
});

describe('Disqus quirks (defect 1)', () => {
  test('a thread without <link> keys by its identifier or is listed; orphans are listed; deleted and spam posts stay hidden; anonymous authors keep their names', async () => {
    const site = await makeSite(ctx.db);
    const { status, body } = await importFile(site.id, 'disqus-odd.xml', 'format=disqus');
    expect(status).toBe(200);
    expect(body).toEqual({
      imported: 6,
      skipped: 2,
      skippedEntries: [
        {
          line: 80,
          element: 'post',
          sourceId: '2003',
          reason: 'its thread (dsq:id "1002", line 22) has neither a <link> nor an <id>',
        },
        {
          line: 89,
          element: 'post',
          sourceId: '2004',
          reason: 'its thread (dsq:id "1999") is not in the file before it',
        },
      ],
    });
    const rows = await comments(site.id);
    expect(rows.get('Gast ohne Disqus-Konto')).toMatchObject({
      author: 'Günter (Gast)',
      parent: '<p>Registrierte Leserin</p>',
      status: 'approved',
    });
    expect(rows.get('Im Thread mit Kennung statt Link')?.thread).toBe('/?p=3');
    expect(rows.get('Vom Moderator gelöscht')?.status).toBe('rejected');
    expect(rows.get('cheap pills')?.status).toBe('spam');
    expect(rows.get('Im gelöschten Thread')).toMatchObject({
      status: 'pending',
      detail: 'Imported (disqus); held: its thread is deleted in Disqus',
    });
    expect(await publicThread(site.id, '/2015/erster/')).toEqual(['Registrierte Leserin', 'Gast ohne Disqus-Konto']);

    const strict = await importFile(site.id, 'disqus-odd.xml', 'strict=true');
    expect(strict.status).toBe(400);
    expect(strict.body.error?.message).toMatch(/line 80, <post>: its thread \(dsq:id "1002", line 22\) has neither/);
  });
});
