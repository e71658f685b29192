/**
 * The widget on a real page against the real stack: ingest, worker and api as
 * real processes over real Postgres and Redis, the demo article served from a
 * second origin (with its Content-Security-Policy), and Debian's Chromium
 * driven by playwright-core. Playwright's CSS locators pierce open shadow
 * roots, so `#st-name` finds the input inside the widget.
 *
 * The tests run in order and share one browser context (the widget keeps the
 * writer's pending comments in localStorage): write → approve → reply →
 * language → hostile body → accessibility → screenshots → timing.
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  type RunningService,
  type TestContext,
  createTestContext,
  eventually,
  freePort,
  launchChromium,
  startService,
} from '@stammtisch/testkit';
import { EMBED_GZIP_BUDGET, buildEmbedScript } from '@stammtisch/widget';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../scripts/demo-server.js';

const require = createRequire(import.meta.url);
const axeSource = readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

const ADMIN_KEY = 'e2e-widget-admin-key-0123456789';
const THREAD = '/2012/03/kleine-fluchten';
const XSS_BODY =
  '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> [x](javascript:window.__xss=3) ' +
  '<svg onload="window.__xss=4"></svg> <iframe src="javascript:window.__xss=5"></iframe> ' +
  '<a href="javascript:window.__xss=6">klick</a> [y](JaVaScRiPt:alert(7)) <details open ontoggle="window.__xss=8"> xss-probe';

let ctx: TestContext;
let ingest: RunningService;
let worker: RunningService;
let api: RunningService;
let demo: Server;
let demoUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
let firstId: string;

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

beforeAll(async () => {
  // Serve the script built from the current sources, not whatever dist/ holds.
  await buildEmbedScript();
  ctx = await createTestContext();
  const env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
  };
  // startService picks each port itself, so ingest comes first: the api tells the widget where it is.
  // Generous start deadlines: CI machines are small and often busy.
  const slow = { timeoutMs: 90_000 };
  [ingest, worker] = await Promise.all([startService('ingest', env, slow), startService('worker', env, slow)]);
  api = await startService('api', { ...env, PUBLIC_INGEST_URL: ingest.url }, slow);

  const demoPort = await freePort();
  demoUrl = `http://127.0.0.1:${demoPort}`;
  const created = await admin('/v1/admin/sites', {
    method: 'POST',
    body: JSON.stringify({
      id: 'demo',
      name: 'Demo-Blog',
      origins: [demoUrl],
      moderation: 'pre',
      settings: { locale: 'de' },
    }),
  });
  expect(created.status).toBe(201);
  demo = await startDemoServer({ port: demoPort, host: '127.0.0.1', apiUrl: api.url, ingestUrl: ingest.url });

  browser = await launchChromium();
  context = await newContext();
  page = await context.newPage();
  await mkdir(artifacts, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (demo ? demo.close(resolve) : resolve(undefined)));
  await Promise.all([ingest, worker, api].map((s) => s?.stop()));
  await ctx?.cleanup();
});

/**
 * A context that records every dialog and every CSP violation. The init
 * script runs through the DevTools protocol, so the page's CSP does not apply to it.
 */
async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const created = await browser.newContext({ locale: 'de-DE', viewport: { width: 900, height: 1200 }, ...options });
  created.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await created.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return created;
}

async function openDemo(target: Page = page): Promise<void> {
  await target.goto(`${demoUrl}${THREAD}`);
  await target.waitForSelector('#comments[data-state="ready"]', { timeout: 20_000 });
}

async function reload(): Promise<void> {
  await page.reload();
  await page.waitForSelector('#comments[data-state="ready"]', { timeout: 20_000 });
}

/** What has focus inside the widget: `#id`, or `button.class` for unnamed elements. */
function focused(target: Page = page): Promise<string> {
  return target.evaluate(() => {
    const el = document.querySelector('#comments')?.shadowRoot?.activeElement;
    if (!el) return document.activeElement ? document.activeElement.tagName.toLowerCase() : '';
    const owner = el.closest('li.c');
    return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className}${owner ? ` in #${owner.id}` : ''}`;
  });
}

/** Presses Tab (only Tab) until `want` has focus; fails after 40 presses. */
async function tabTo(want: string | ((f: string) => boolean)): Promise<void> {
  const matches = typeof want === 'string' ? (f: string) => f === want : want;
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    const now = await focused();
    if (matches(now)) return;
    seen.push(now);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(want)}; focus went ${seen.join(' → ')}`);
}

/** The comment in the moderation queue (pending or, for hostile bodies, spam) whose body contains `text`. */
async function findHeld(text: string): Promise<{ id: string; parentId: string | null; status: string }> {
  return eventually(
    async () => {
      for (const status of ['pending', 'spam']) {
        const res = await admin(`/v1/moderation/queue?site=demo&status=${status}&q=${encodeURIComponent(text)}`);
        const { items } = (await res.json()) as { items: { id: string; parentId: string | null; status: string }[] };
        if (items[0]) return items[0];
      }
      return undefined;
    },
    { timeoutMs: 20_000, message: `no held comment with ${text}` },
  );
}

async function approve(id: string): Promise<void> {
  const res = await admin(`/v1/moderation/comments/${id}/decision`, {
    method: 'POST',
    body: JSON.stringify({ action: 'approve' }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ id, status: 'approved' });
}

/** Reloads until the comment is in the list as published (no pending badge); caches may lag a few seconds. */
async function reloadUntilPublished(id: string): Promise<void> {
  await eventually(
    async () => {
      await reload();
      const li = page.locator(`#c-${id}`);
      if ((await li.count()) !== 1) return undefined;
      return (await li.getAttribute('class')) === 'c' ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 1000, message: `comment ${id} never showed as published after reload` },
  );
}

/** Every string the widget itself shows (text and attributes), without comment content and author names. */
function widgetStrings(): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('#comments')!.shadowRoot!;
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (el.closest('style, .b, .n, .vt') || !n.textContent!.trim()) continue;
      out.push(`${el.tagName.toLowerCase()}.${el.className}: ${n.textContent!.trim()}`);
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

const countSpan = () => page.locator('span[data-comment-count]').textContent();
const cspViolations = (target: Page = page) => target.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

// Each step may reload until caches catch up (up to 30 s), so steps get more than the default 30 s.
describe('the widget on the demo page, against the real services', { timeout: 90_000 }, () => {
  it('serves /embed.js within the 12 KiB gzip budget', async () => {
    const res = await fetch(`${api.url}/embed.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const body = Buffer.from(await res.arrayBuffer());
    const gzipped = gzipSync(body, { level: 9 }).length;
    console.log(`/embed.js as served: ${body.length} bytes, ${gzipped} bytes gzipped (budget ${EMBED_GZIP_BUDGET})`);
    expect(gzipped).toBeLessThanOrEqual(EMBED_GZIP_BUDGET);
    // The api tells the widget where ingest is.
    expect(body.toString('utf8')).toContain(JSON.stringify(ingest.url));
  });

  it('serves the demo page with a CSP that allows the api script, api and ingest connections, and little else', async () => {
    const res = await fetch(`${demoUrl}${THREAD}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives: Record<string, string[]> = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual([api.url]);
    expect(directives['connect-src']?.sort()).toEqual([api.url, ingest.url].sort());
    expect(directives['style-src']?.every((s: string) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s))).toBe(true);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it('loads the German demo page, and a keyboard-only writer posts a comment that shows as awaiting moderation', async () => {
    await openDemo();
    await expect.poll(() => page.locator('#comments').getAttribute('data-lang')).toBe(null);
    expect(await page.locator('#st-h').textContent()).toBe('Noch keine Kommentare');
    expect(await countSpan()).toBe('0 Kommentare');

    // Only the keyboard from here: Tab into the form, type, Tab on, submit with Enter.
    await tabTo('#st-name');
    await page.keyboard.type('Jürgen Größe');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('#st-email');
    await page.keyboard.type('juergen@example.org');
    await tabTo('#st-body');
    await page.keyboard.type('Meine kleine Flucht: mittags ohne Handy über den Wochenmarkt. *Herrlich.*');
    await tabTo((f) => f.startsWith('button.btn'));
    await page.keyboard.press('Enter');

    const pending = page.locator('li.c.p');
    await pending.waitFor({ timeout: 20_000 });
    expect(await pending.locator('.badge').textContent()).toBe('Wartet auf Freigabe');
    expect(await pending.locator('.n').textContent()).toBe('Jürgen Größe');
    expect(await page.locator('.status').textContent()).toBe(
      'Danke! Der Kommentar erscheint, sobald er freigegeben ist.',
    );
    const held = await findHeld('Wochenmarkt');
    expect(await pending.getAttribute('id')).toBe(`c-${held.id}`);
    firstId = held.id;
    // Focus moved to the new comment, and the body field is empty again.
    expect(await focused()).toBe(`#c-${firstId}`);
    expect(await page.locator('#st-body').inputValue()).toBe('');

    // Held survives a reload (kept in the browser until the server decides).
    await reload();
    expect(await page.locator(`#c-${firstId}`).getAttribute('class')).toBe('c p');
    expect(await cspViolations()).toEqual([]);
  });

  it('shows the comment published after a moderator approves it, and the count span follows', async () => {
    await approve(firstId);
    await reloadUntilPublished(firstId);
    const li = page.locator(`#c-${firstId}`);
    expect(await li.locator('.badge').count()).toBe(0);
    expect(await li.locator('.b').innerHTML()).toBe(
      '<p>Meine kleine Flucht: mittags ohne Handy über den Wochenmarkt. <em>Herrlich.</em></p>',
    );
    expect(await page.locator('#st-h').textContent()).toBe('1 Kommentar');
    await expect.poll(countSpan, { timeout: 20_000 }).toBe('1 Kommentar');
  });

  it('takes a keyboard-only reply, and shows it nested under its parent once approved', async () => {
    await tabTo(`button.lnk rb in #c-${firstId}`);
    await page.keyboard.press('Enter');
    // The name was remembered, so focus lands in the body field of the form under the comment.
    expect(await focused()).toBe('#st-body');
    expect(await page.locator(`#r-${firstId} form h3`).textContent()).toBe('Antwort an Jürgen Größe');
    await page.keyboard.type('Bei mir ist es die Straßenbahn ohne Kopfhörer.');
    await tabTo((f) => f.startsWith('button.btn'));
    await page.keyboard.press('Enter');

    const pendingReply = page.locator(`#c-${firstId} ol li.c.p`);
    await pendingReply.waitFor({ timeout: 20_000 });
    const reply = await findHeld('Straßenbahn');
    expect(reply.parentId).toBe(firstId);
    expect(await pendingReply.getAttribute('id')).toBe(`c-${reply.id}`);

    await approve(reply.id);
    await reloadUntilPublished(reply.id);
    expect(await page.locator(`#c-${firstId} > ol > #c-${reply.id}`).count()).toBe(1);
    expect(await page.locator(`#c-${reply.id} .b`).textContent()).toBe(
      'Bei mir ist es die Straßenbahn ohne Kopfhörer.',
    );
    expect(await page.locator('#st-h').textContent()).toBe('2 Kommentare');
  });

  it('changes every visible string when data-lang switches between German and English', async () => {
    await reload();
    const german = await widgetStrings();
    await page.locator('#comments').evaluate((el) => el.setAttribute('data-lang', 'en'));
    await expect.poll(() => page.locator('#st-h').textContent()).toBe('2 comments');
    const english = await widgetStrings();
    expect(english.length).toBe(german.length);
    const unchanged = german.filter((s, i) => s === english[i]);
    expect(unchanged).toEqual([]);
    expect(english).toContain('label.: Name (shown publicly)');
    expect(english).toContain('button.btn: Post comment');
    expect(await page.locator('#comments section').getAttribute('lang')).toBe('en');
    expect(await countSpan()).toBe('2 comments');

    await page.locator('#comments').evaluate((el) => el.setAttribute('data-lang', 'de'));
    await expect.poll(() => page.locator('#st-h').textContent()).toBe('2 Kommentare');
    expect(await widgetStrings()).toEqual(german);
    expect(await countSpan()).toBe('2 Kommentare');
  });

  it('renders script and event-handler payloads in a comment as inert text', async () => {
    await page.locator('#st-body').focus();
    await page.keyboard.type(XSS_BODY);
    await page.keyboard.press('Tab');
    await tabTo((f) => f.startsWith('button.btn'));
    await page.keyboard.press('Enter');
    const held = await findHeld('xss-probe');
    // The writer's own pending copy is text too.
    const own = page.locator(`#c-${held.id}`);
    await own.waitFor({ timeout: 20_000 });
    expect(await own.locator('.b').textContent()).toBe(XSS_BODY);

    await approve(held.id);
    await reloadUntilPublished(held.id);
    const body = page.locator(`#c-${held.id} .b`);
    expect(await body.textContent()).toContain('<script>window.__xss=1</script>');
    expect(await body.textContent()).toContain('<img src=x onerror="window.__xss=2">');
    const inside = await body.evaluate((el) => ({
      elements: [...el.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
      handlers: [...el.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].map((a) => a.name).filter((n) => n.startsWith('on')),
      ),
      hrefs: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    }));
    expect(inside.elements.filter((t) => !['p', 'a', 'br', 'em', 'strong', 'code'].includes(t))).toEqual([]);
    expect(inside.handlers).toEqual([]);
    expect(inside.hrefs.filter((href) => !/^https?:/.test(href ?? ''))).toEqual([]);
    // Give any handler that might have slipped through a moment to fire.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(
      await page.evaluate(() => document.querySelectorAll('#comments img, #comments script, #comments iframe').length),
    ).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await cspViolations()).toEqual([]);
  });

  it('has no axe-core violations on the demo page, and screenshots the widget in light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await page.locator('#comments').evaluate((el, t) => el.setAttribute('data-theme', t), theme);
      await expect.poll(() => page.locator('#comments section').getAttribute('data-t')).toBe(theme);
      // Evaluated through the DevTools protocol: the page's CSP would (rightly) refuse an injected script tag.
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
      const result = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                ctx: unknown,
              ) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[]; passes: unknown[] }>;
            };
          }
        ).axe;
        const r = await axe.run(document);
        return {
          violations: r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) })),
          passes: r.passes.length,
          // Shadow DOM targets are nested selector lists: proof that axe looked inside the widget.
          shadowNodes: (r.passes as { nodes: { target: unknown[] }[] }[])
            .flatMap((p) => p.nodes)
            .filter((n) => Array.isArray(n.target[0])).length,
        };
      });
      expect(result.violations, `${theme}: ${JSON.stringify(result.violations)}`).toEqual([]);
      expect(result.passes).toBeGreaterThan(5);
      expect(result.shadowNodes).toBeGreaterThan(10);
      await page.screenshot({ path: `${artifacts}demo-widget-${theme}.png`, fullPage: true });
    }
  });

  it('measures script start → first rendered comment on a fresh load', async () => {
    const fresh = await newContext();
    try {
      const reader = await fresh.newPage();
      await openDemo(reader);
      const ms = await reader.evaluate(() => {
        const m = performance.measure(
          'stammtisch:start-to-first-comment',
          'stammtisch:start',
          'stammtisch:first-comment',
        );
        return m.duration;
      });
      console.log(`script start → first comment: ${ms.toFixed(1)} ms`);
      expect(ms).toBeGreaterThan(0);
      expect(await reader.locator('li.c').count()).toBe(3);
      expect(await cspViolations(reader)).toEqual([]);
      // The recorder works and the policy is live: an inline style the page did not declare is refused.
      await reader.evaluate(() =>
        document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{color:red}' })),
      );
      await expect.poll(() => cspViolations(reader)).toEqual(['style-src-elem inline']);
    } finally {
      await fresh.close();
    }
  });

  it('links to the thread as plain HTML when JavaScript is off', async () => {
    const noJs = await newContext({ javaScriptEnabled: false });
    try {
      const reader = await noJs.newPage();
      await reader.goto(`${demoUrl}${THREAD}`);
      const link = reader.getByRole('link', { name: 'Kommentare ohne JavaScript lesen' });
      expect(await link.getAttribute('href')).toBe(
        `${api.url}/v1/sites/demo/threads/${encodeURIComponent(THREAD)}/comments.html`,
      );
      await link.click();
      await reader.waitForURL(/comments\.html$/);
      expect(await reader.locator('h2').textContent()).toBe('3 Kommentare');
      expect(await reader.locator(`#comment-${firstId}`).textContent()).toContain('Wochenmarkt');
      expect(await reader.locator('img, script, iframe, svg').count()).toBe(0);
    } finally {
      await noJs.close();
    }
  });
});
