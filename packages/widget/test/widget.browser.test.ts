/**
 * The widget in a real Chromium against an in-test double of the HTTP API
 * (test/api-double.ts). Playwright's CSS locators pierce open shadow roots,
 * so `#st-name` finds the input inside the widget.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type AxeWindow, launchChromium } from '@stammtisch/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildEmbedScript, ingestUrlPrelude } from '../src/index.js';
import { ApiDouble, type PageOptions, THREAD_KEY } from './api-double.js';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

let browser: Browser;
let api: ApiDouble;
let context: BrowserContext;
let page: Page;
let dialogs: string[];

beforeAll(async () => {
  await buildEmbedScript();
  api = await new ApiDouble().start();
  browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

beforeEach(async () => {
  api.reset();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 800, height: 1000 } });
  page = await context.newPage();
  dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterEach(async () => {
  await context?.close();
});

async function open(options: PageOptions = {}): Promise<void> {
  await page.goto(api.pageUrl(options));
  await page.waitForSelector('#comments[data-state="ready"]');
}

/** Every string the widget itself shows (text and attributes), without comment content. */
function widgetStrings(): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('#comments')!.shadowRoot!;
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (el.closest('style, .b, .n') || !n.textContent!.trim()) continue;
      out.push(`${el.tagName.toLowerCase()}: ${n.textContent!.trim()}`);
    }
    for (const el of root.querySelectorAll('[title], [aria-label], [placeholder]')) {
      for (const a of ['title', 'aria-label', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(`${el.tagName.toLowerCase()}[${a}]: ${v}`);
      }
    }
    return out;
  });
}

async function fill(fields: Partial<Record<'name' | 'email' | 'url' | 'body', string>>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.fill(`#st-${name}`, value);
}

async function values(): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const root = document.querySelector('#comments')!.shadowRoot!;
    const out: Record<string, string> = {};
    for (const id of ['name', 'email', 'url', 'body']) {
      out[id] = (root.getElementById(`st-${id}`) as HTMLInputElement).value;
    }
    return out;
  });
}

const activeId = () =>
  page.evaluate(() => {
    const el = document.querySelector('#comments')!.shadowRoot!.activeElement;
    return el ? el.id || `${el.tagName.toLowerCase()}.${el.className}` : null;
  });

describe('embed.js in Chromium', () => {
  test('renders the thread nested inside an open shadow root, with counts and test marks', async () => {
    api.secondPage = [
      {
        id: 'g1',
        parentId: null,
        author: { name: 'Gustav' },
        html: '<p>Seite zwei.</p>',
        createdAt: new Date().toISOString(),
      },
    ];
    await open();
    const shape = await page.evaluate(() => {
      const host = document.querySelector('#comments')!;
      const root = host.shadowRoot!;
      const parentOf = (id: string) => root.getElementById(`c-${id}`)!.parentElement!.closest('li')?.id ?? null;
      const anna = root.querySelector('#c-a1 .n') as HTMLAnchorElement;
      return {
        lightDomChildren: host.children.length,
        parents: Object.fromEntries(['a1', 'b1', 'c1', 'd1', 'e1', 'f1'].map((id) => [id, parentOf(id)])),
        flattenedNote: root.querySelector('#c-e1 .m .mu')?.textContent,
        anna: { href: anna.getAttribute('href'), rel: anna.rel, target: anna.target, tag: anna.tagName },
        fritzTag: root.querySelector('#c-f1 .n')!.tagName,
        verified: root.querySelector('#c-c1 .v')?.textContent,
        html: root.querySelector('#c-a1 .b')!.innerHTML,
        time: {
          text: root.querySelector('#c-a1 time')!.textContent,
          datetime: root.querySelector('#c-a1 time')!.getAttribute('datetime'),
          title: root.querySelector('#c-a1 time')!.getAttribute('title'),
        },
        heading: root.querySelector('h2')!.textContent,
        count: document.querySelector('[data-comment-count]')!.textContent,
        marks: performance.getEntriesByType('mark').map((m) => m.name),
      };
    });
    expect(shape.lightDomChildren).toBe(0);
    expect(shape.parents).toEqual({ a1: null, b1: 'c-a1', c1: 'c-b1', d1: 'c-c1', e1: 'c-c1', f1: null });
    expect(shape.flattenedNote).toBe('als Antwort an Dieter');
    expect(shape.anna).toEqual({
      href: 'https://anna.example',
      rel: 'nofollow ugc noopener',
      target: '_blank',
      tag: 'A',
    });
    expect(shape.fritzTag).toBe('SPAN');
    expect(shape.verified).toBe('verifiziert über Google');
    expect(shape.html).toBe('<p>Schöner Text über <em>kleine</em> Fluchten.</p>');
    expect(shape.time.text).toBe('vor 3 Tagen');
    expect(shape.time.title).toMatch(/\d{4} um \d/);
    expect(shape.heading).toBe('7 Kommentare');
    expect(shape.count).toBe('7 Kommentare');
    expect(shape.marks).toEqual(expect.arrayContaining(['stammtisch:start', 'stammtisch:first-comment']));
    expect(api.requests.filter((r) => r.includes('/counts?'))).toEqual([
      `GET /v1/sites/demo/counts?thread=${encodeURIComponent(THREAD_KEY)}`,
    ]);
    expect(api.requests).toContain(
      `GET /v1/sites/demo/threads/${encodeURIComponent(THREAD_KEY)}/comments?sort=oldest&limit=50`,
    );

    await page.click('text=Weitere Kommentare laden');
    await page.waitForSelector('#c-g1');
    expect(await activeId()).toBe('c-g1');
    expect(api.requests.some((r) => r.endsWith('&cursor=p2'))).toBe(true);

    await page.selectOption('#st-sort', 'newest');
    await page.waitForFunction(
      () => document.querySelector('#comments')!.shadowRoot!.querySelector('.st > div:last-child li')?.id === 'c-f1',
    );
    expect(api.requests.at(-1)).toContain('sort=newest');
  });

  test('host page CSS neither leaks into the widget nor hides it', async () => {
    await open({ hostileCss: true });
    const looks = await page.evaluate(() => {
      const root = document.querySelector('#comments')!.shadowRoot!;
      const style = (sel: string) => getComputedStyle(root.querySelector(sel)!);
      return {
        hostHeight: document.querySelector('#comments')!.getBoundingClientRect().height,
        body: {
          color: style('#c-a1 .b p').color,
          display: style('#c-a1 .b p').display,
          size: style('#c-a1 .b p').fontSize,
        },
        input: { display: style('#st-name').display, bg: style('#st-name').backgroundColor },
        button: { display: style('.btn').display, transform: style('.btn').textTransform },
        heading: { color: style('h2').color, spacing: style('h2').letterSpacing },
      };
    });
    expect(looks.hostHeight).toBeGreaterThan(300);
    expect(looks.body).toEqual({ color: 'rgb(31, 35, 40)', display: 'block', size: '16px' });
    expect(looks.input.display).toBe('block');
    expect(looks.input.bg).not.toBe('rgb(255, 0, 0)');
    expect(looks.button.display).not.toBe('none');
    expect(looks.button.transform).toBe('none');
    expect(looks.heading).toEqual({ color: 'rgb(31, 35, 40)', spacing: 'normal' });
    expect(await page.isVisible('#st-name')).toBe(true);
  });

  test('switching data-lang re-renders every string and keeps what was typed', async () => {
    api.secondPage = [
      {
        id: 'g1',
        parentId: null,
        author: { name: 'Gustav' },
        html: '<p>Seite zwei.</p>',
        createdAt: new Date().toISOString(),
      },
    ];
    await open({ lang: 'de' });
    // Field errors and the form message are strings too.
    await fill({ name: 'Anna', email: 'kaputt', body: 'Halb geschrieben' });
    await page.click('button.btn');
    await page.waitForSelector('#st-email-e:not(:empty)');
    const german = await widgetStrings();

    await page.evaluate(() => document.querySelector('#comments')!.setAttribute('data-lang', 'en'));
    await page.waitForFunction(
      () => document.querySelector('#comments')!.shadowRoot!.querySelector('h2')!.textContent === '7 comments',
    );
    const english = await widgetStrings();

    expect(english.length).toBe(german.length);
    expect(german.length).toBeGreaterThan(25);
    const unchanged = german.filter((s, i) => s === english[i]);
    expect(unchanged).toEqual([]);
    expect(english).toEqual(
      expect.arrayContaining([
        'h2: 7 comments',
        'button: Post comment',
        'label: Name (shown publicly)',
        'time: 3 days ago',
      ]),
    );
    expect(await values()).toEqual({ name: 'Anna', email: 'kaputt', url: '', body: 'Halb geschrieben' });
    expect(await page.textContent('[data-comment-count]')).toBe('7 comments');
    expect(await page.getAttribute('section.st', 'lang')).toBe('en');
  });

  test('a 400 from ingest shows its detail next to the name field and loses nothing', async () => {
    api.postAnswers.push({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'author.name: must not be blank',
          details: [{ path: 'author.name', message: 'must not be blank' }],
          requestId: 'req_1',
        },
      },
    });
    await open();
    await fill({ name: 'Anna', email: 'anna@example.org', url: 'anna.example', body: 'Mein Text\nzweite Zeile' });
    await page.click('button.btn');
    await page.waitForSelector('#st-name-e:not(:empty)');
    const state = await page.evaluate(() => {
      const root = document.querySelector('#comments')!.shadowRoot!;
      const name = root.getElementById('st-name')!;
      return {
        error: root.getElementById('st-name-e')!.textContent,
        errorFollowsInput: name.parentElement === root.getElementById('st-name-e')!.parentElement,
        invalid: name.getAttribute('aria-invalid'),
        describedBy: name.getAttribute('aria-describedby'),
        general: root.querySelector('.fm')!.textContent,
        otherErrors: [...root.querySelectorAll('.fe')].filter((e) => e.textContent).length,
      };
    });
    expect(state).toEqual({
      error: 'Bitte einen Namen angeben (höchstens 80 Zeichen).',
      errorFollowsInput: true,
      invalid: 'true',
      describedBy: 'st-name-e',
      general: 'Bitte die markierten Felder prüfen.',
      otherErrors: 1,
    });
    expect(await activeId()).toBe('st-name');
    expect(await values()).toEqual({
      name: 'Anna',
      email: 'anna@example.org',
      url: 'https://anna.example',
      body: 'Mein Text\nzweite Zeile',
    });
    expect(api.posts[0]?.body).toMatchObject({
      thread: { key: THREAD_KEY, url: api.pageUrl(), title: 'Kleine Fluchten' },
      author: { name: 'Anna', email: 'anna@example.org', url: 'https://anna.example' },
      body: 'Mein Text\nzweite Zeile',
      hp: '',
    });
    expect(typeof api.posts[0]?.body.renderedAt).toBe('number');
  });

  test('checks required fields before sending anything', async () => {
    await open({ lang: 'en' });
    await page.click('button.btn');
    expect(await page.textContent('#st-name-e')).toBe('Please enter a name (up to 80 characters).');
    expect(await page.textContent('#st-body-e')).toBe('Please write a comment (up to 10,000 characters).');
    expect(await activeId()).toBe('st-name');
    expect(api.posts).toEqual([]);
    await page.fill('#st-name', 'A');
    expect(await page.textContent('#st-name-e')).toBe('');
  });

  test('a posted body with markup is shown inert while pending, and survives a reload', async () => {
    await open();
    const evil = '<img src=x onerror=alert(1)>';
    await fill({ name: 'Mallory', body: `${evil}\n<script>alert(2)</script>` });
    await page.click('button.btn');
    await page.waitForSelector('li.p');
    const shown = await page.evaluate(() => {
      const root = document.querySelector('#comments')!.shadowRoot!;
      const li = root.querySelector('li.p')!;
      return {
        text: li.querySelector('.b')!.textContent,
        badge: li.querySelector('.badge')!.textContent,
        imgs: root.querySelectorAll('img, script').length + document.querySelectorAll('img').length,
        status: root.querySelector('.status')!.textContent,
        first: root.querySelector('.st > div:last-child li')!.id,
      };
    });
    expect(shown.text).toBe(`${evil}\n<script>alert(2)</script>`);
    expect(shown.badge).toBe('Wartet auf Freigabe');
    expect(shown.imgs).toBe(0);
    expect(shown.status).toBe('Danke! Der Kommentar erscheint, sobald er freigegeben ist.');
    expect(shown.first).toMatch(/^c-0192f0c4/);
    expect(await activeId()).toBe(shown.first);
    expect(await values()).toMatchObject({ name: 'Mallory', body: '' });

    const id = shown.first.slice(2);
    await page.reload();
    await page.waitForSelector('#comments[data-state="ready"]');
    await page.waitForSelector(`#c-${id}.p`);
    expect(await page.inputValue('#st-name')).toBe('Mallory');
    expect(dialogs).toEqual([]);
    expect(api.requests).toContain(`GET /v1/sites/demo/comments/${id}`);

    // Approved and in the list: the server's copy replaces the local one.
    api.statuses[id] = 'approved';
    api.comments.push({
      id,
      parentId: null,
      author: { name: 'Mallory' },
      html: '<p>&lt;img src=x onerror=alert(1)&gt;</p>',
      createdAt: new Date().toISOString(),
    });
    await page.reload();
    await page.waitForSelector(`#c-${id}:not(.p)`);
    expect(await page.locator('li.p').count()).toBe(0);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('pending')))).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  test('a rejected pending comment disappears with a note', async () => {
    await open({ lang: 'en' });
    await fill({ name: 'Rolf', body: 'Kauft Uhren!' });
    await page.click('button.btn');
    await page.waitForSelector('li.p');
    const id = (await page.getAttribute('li.p', 'id'))!.slice(2);
    api.statuses[id] = 'rejected';
    await page.reload();
    await page.waitForFunction(
      () => document.querySelector('#comments')!.shadowRoot!.querySelector('.status')!.textContent !== '',
    );
    expect(await page.textContent('.status')).toBe('Your comment was not approved.');
    expect(await page.locator('li.p').count()).toBe(0);
  });

  test('live events change only the comment they name: the reply form, its draft, focus and every other node stay', async () => {
    await open();
    await expect.poll(() => api.streams.length).toBe(1);
    await page.click('#c-a1 .rb');
    await page.fill('#st-body', 'Ein Entwurf.');
    // Every list item remembers its id: a rebuilt list would lose the marks.
    await page.evaluate(() => {
      for (const li of document
        .querySelector('#comments')!
        .shadowRoot!.querySelectorAll<HTMLElement & { kept?: string }>('li.c'))
        li.kept = li.id;
    });
    const [, b1, , , e1, f1] = api.comments;
    const now = new Date().toISOString();
    api.push('comment', { ...b1, html: '<p>Geändert.</p>', editedAt: now });
    api.push('comment', { ...f1, votes: { up: 3, down: 0 }, pinned: true });
    api.push('comment', { ...e1, deleted: true });
    api.push('comment', {
      id: 'h1',
      parentId: 'a1',
      author: { name: 'Hanna' },
      html: '<p>Neu hier.</p>',
      createdAt: now,
    });
    api.push('count', { count: 6 });
    await page.waitForSelector('#c-h1');

    expect(await page.locator('#c-b1 > article .b').textContent()).toBe('Geändert.');
    expect(await page.locator('#c-b1 > article .ed').count()).toBe(1);
    expect(await page.locator('#c-e1').count()).toBe(0);
    expect(await page.locator('#c-f1 .vn').textContent()).toBe('3');
    // Pinned: first among the top-level comments.
    expect(await page.locator('#comments section > div > ol > li').evaluateAll((els) => els.map((e) => e.id))).toEqual([
      'c-f1',
      'c-a1',
    ]);
    expect(await page.locator('#c-a1 > ol > #c-h1').count()).toBe(1);
    expect(await page.locator('#st-h').textContent()).toBe('6 Kommentare');
    expect(await page.locator('.status').textContent()).toBe('1 neuer Kommentar');
    // The reply form is still open under a1 with the draft, and still has focus.
    expect(await page.locator('#r-a1 form #st-body').inputValue()).toBe('Ein Entwurf.');
    expect(await activeId()).toBe('st-body');
    const kept = await page.evaluate(() =>
      [
        ...document.querySelector('#comments')!.shadowRoot!.querySelectorAll<HTMLElement & { kept?: string }>('li.c'),
      ].every((li) => li.id === 'c-h1' || li.kept === li.id),
    );
    expect(kept).toBe(true);
  });

  test('keyboard only: tab through the form, post with Enter, reply with Space', async () => {
    await open({ lang: 'en' });
    const order: (string | null)[] = [];
    for (let i = 0; i < 10 && (await activeId()) !== 'st-name'; i++) await page.keyboard.press('Tab');
    order.push(await activeId());
    await page.keyboard.type('Kim');
    for (const text of ['kim@example.org', ' ', 'https://kim.example', 'Per Tastatur geschrieben.']) {
      await page.keyboard.press('Tab');
      order.push(await activeId());
      // A space ticks the reply-notification checkbox.
      if (text === ' ') await page.keyboard.press('Space');
      else await page.keyboard.type(text);
    }
    await page.keyboard.press('Tab');
    order.push(await activeId());
    expect(order).toEqual(['st-name', 'st-email', 'st-notify', 'st-url', 'st-body', 'button.btn']);
    await page.keyboard.press('Enter');
    await page.waitForSelector('li.p');
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]?.body).toMatchObject({
      author: { name: 'Kim', email: 'kim@example.org', url: 'https://kim.example' },
      body: 'Per Tastatur geschrieben.',
      notify: true,
    });
    expect(api.posts[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(await activeId()).toMatch(/^c-0192f0c4/);

    // From the pending comment (focused after posting) past Kim's and Anna's links to Anna's reply button;
    // open the form under her comment, then cancel.
    const onAnnasReply = () =>
      page.evaluate(
        () => !!document.querySelector('#comments')!.shadowRoot!.activeElement?.matches('#c-a1 > article .rb'),
      );
    const passed: (string | null)[] = [];
    for (let i = 0; i < 10 && !(await onAnnasReply()); i++) {
      await page.keyboard.press('Tab');
      passed.push(await activeId());
    }
    expect(passed).toEqual(['a.n', 'a.n', 'button.lnk rb']);
    await page.keyboard.press('Space');
    expect(
      await page.evaluate(() => !!document.querySelector('#comments')!.shadowRoot!.querySelector('#r-a1 form')),
    ).toBe(true);
    expect(await activeId()).toBe('st-body');
    expect(await page.textContent('#st-fh')).toBe('Reply to Anna');
    await page.keyboard.type('Eine Antwort.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('button.lnk');
    await page.keyboard.press('Enter');
    expect(await activeId()).toBe('button.lnk rb');
    expect(await page.textContent('#st-fh')).toBe('Leave a comment');
    expect(await page.inputValue('#st-body')).toBe('Eine Antwort.');

    // And post the reply: it lands under Anna's comment with parentId.
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => !!document.querySelector('#comments')!.shadowRoot!.querySelector('#c-a1 > ol > li.p'),
    );
    expect(api.posts[1]?.body).toMatchObject({ parentId: 'a1', body: 'Eine Antwort.' });
  });

  test('a double click posts once; a retry after 503 reuses the Idempotency-Key', async () => {
    api.postAnswers.push(
      {
        status: 503,
        body: { error: { code: 'unavailable', message: 'queue down', requestId: 'r' } },
        headers: { 'Retry-After': '5' },
        delayMs: 300,
      },
      { status: 202, body: { id: '0192f0c4-aaaa-7000-8000-000000000001', status: 'pending' }, delayMs: 300 },
    );
    await open({ lang: 'en' });
    await fill({ name: 'Doppel', body: 'Zweimal geklickt' });
    await page.dblclick('button.btn');
    expect(await page.isDisabled('button.btn')).toBe(true);
    await page.waitForSelector('.fm:not(:empty)');
    expect(await page.textContent('.fm')).toBe('The comment service is busy. Please try again in a moment.');
    expect(api.posts).toHaveLength(1);
    expect(await values()).toMatchObject({ name: 'Doppel', body: 'Zweimal geklickt' });

    await page.click('button.btn');
    await page.waitForSelector('li.p');
    expect(api.posts).toHaveLength(2);
    expect(api.posts[1]?.headers['idempotency-key']).toBe(api.posts[0]?.headers['idempotency-key']);

    // A new comment gets a new key.
    await fill({ body: 'Noch einer' });
    await page.click('button.btn');
    await page.waitForFunction(
      () => document.querySelector('#comments')!.shadowRoot!.querySelectorAll('li.p').length === 2,
    );
    expect(api.posts[2]?.headers['idempotency-key']).not.toBe(api.posts[0]?.headers['idempotency-key']);
  });

  test('429, origin refusal, network failure and a closed thread are explained in the reader’s language', async () => {
    api.postAnswers.push(
      {
        status: 429,
        body: { error: { code: 'rate_limited', message: 'slow down', requestId: 'r' } },
        headers: { 'Retry-After': '30' },
      },
      { status: 403, body: { error: { code: 'origin_not_allowed', message: 'no', requestId: 'r' } } },
      { status: 409, body: { error: { code: 'thread_closed', message: 'closed', requestId: 'r' } } },
    );
    await open();
    await fill({ name: 'Eilig', body: 'Schnell noch' });
    const message = async () => {
      await page.click('button.btn');
      await page.waitForFunction(() => {
        const root = document.querySelector('#comments')!.shadowRoot!;
        return !root.querySelector('button.btn')?.hasAttribute('disabled');
      });
      return page.textContent('.fm');
    };
    expect(await message()).toBe('Zu viele Kommentare in kurzer Zeit. Bitte in 30 Sekunden erneut versuchen.');
    expect(await message()).toBe('Kommentare sind für diese Website nicht freigeschaltet.');
    await page.route('**/v1/sites/demo/comments', (route) => route.abort('connectionrefused'));
    expect(await message()).toMatch(/^Der Kommentardienst ist nicht erreichbar/);
    await page.unroute('**/v1/sites/demo/comments');
    expect(await values()).toMatchObject({ name: 'Eilig', body: 'Schnell noch' });

    await page.click('button.btn');
    await page.waitForSelector('.closed');
    expect(await page.textContent('.closed')).toBe('Die Kommentare sind geschlossen.');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('button.rb').count()).toBe(0);
  });

  test('posts to the api origin on port 8081 by default, or where the served prelude says', async () => {
    const port8081: string[] = [];
    await page.route('http://127.0.0.1:8081/**', (route) => {
      port8081.push(`${route.request().method()} ${route.request().url()}`);
      return route.fulfill({
        status: 202,
        headers: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
        },
        contentType: 'application/json',
        body: JSON.stringify({ id: '0192f0c4-bbbb-7000-8000-000000000001', status: 'pending' }),
      });
    });
    await open({ lang: 'en', noIngestAttr: true });
    await fill({ name: 'Ina', body: 'Wohin?' });
    await page.click('button.btn');
    await page.waitForSelector('li.p');
    expect(port8081).toContain('POST http://127.0.0.1:8081/v1/sites/demo/comments');
    expect(api.posts).toEqual([]);

    api.embedPrelude = ingestUrlPrelude(`${api.origin}/`);
    await page.reload();
    await page.waitForSelector('#comments[data-state="ready"]');
    await fill({ body: 'Jetzt hierhin.' });
    await page.click('button.btn');
    await page.waitForFunction(
      () => document.querySelector('#comments')!.shadowRoot!.querySelectorAll('li.p').length === 2,
    );
    expect(api.posts.map((p) => p.body.body)).toEqual(['Jetzt hierhin.']);
  });

  test('a failed read says so, offers a retry, and keeps the form usable', async () => {
    api.threadStatus = 503;
    await page.goto(api.pageUrl({ lang: 'en' }));
    await page.waitForSelector('#comments[data-state="error"]');
    expect(await page.textContent('p.er')).toBe('The comments could not be loaded.');
    expect(await page.isEnabled('#st-name')).toBe(true);
    api.threadStatus = null;
    await page.click('text=Try again');
    await page.waitForSelector('#comments[data-state="ready"] >> #c-a1');
    expect(await page.locator('p.er').count()).toBe(0);
  });

  test('a thread closed on the server shows no form', async () => {
    api.closed = true;
    await open({ lang: 'en' });
    expect(await page.textContent('.closed')).toBe('Comments are closed.');
    expect(await page.locator('#st-name').count()).toBe(0);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds no violations in the ${theme} theme, with errors and a pending comment showing`, async () => {
      await open({ theme, lang: 'en' });
      await fill({ name: 'Axel', body: 'Zugänglich?' });
      await page.click('button.btn');
      await page.waitForSelector('li.p');
      await page.fill('#st-email', 'kaputt');
      await page.click('button.btn');
      await page.waitForSelector('#st-email-e:not(:empty)');
      await page.focus('#st-url');
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as AxeWindow).axe;
        const r = await axe.run(document.querySelector('#comments') as Element);
        return {
          violations: r.violations.map((v) => ({
            id: v.id,
            nodes: v.nodes.map((n) => [n.target, n.failureSummary]),
          })),
          // Proof that axe looked inside the shadow root: shadow targets are nested arrays.
          shadowNodes: r.passes
            .flatMap((p: { nodes: { target: unknown[] }[] }) => p.nodes)
            .filter((n: { target: unknown[] }) => Array.isArray(n.target[0])).length,
          checkedContrast: r.passes.some((p: { id: string }) => p.id === 'color-contrast'),
        };
      });
      expect(result.violations).toEqual([]);
      expect(result.shadowNodes).toBeGreaterThan(10);
      expect(result.checkedContrast).toBe(true);
      await page.screenshot({ path: `${artifacts}widget-${theme}.png`, fullPage: true });
    });
  }
});
