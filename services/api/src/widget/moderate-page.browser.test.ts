import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { createApiKey, createSiteCache } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import {
  COMMENTS_QUEUE,
  createProducerConnection,
  createWorkerConnection,
  publishChange,
  subscribeToChanges,
} from '@stammtisch/queue';
import {
  type AxeWindow,
  type TestContext,
  commentRow,
  countComments,
  createTestContext,
  launchChromium,
  makeComment,
  makeSite,
  siteComments,
} from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildModerateScript } from '@stammtisch/widget';
import { createApp } from '../app.js';
import { createModerationFeed } from '../moderation/live.js';
import { createReadCache } from '../reads/read-cache.js';

const require = createRequire(import.meta.url);
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));
const THREAD = '/2026/11/der-stammtisch';
const HELD = 56;
// A browser, a server and 56 comments on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

let ctx: TestContext;
let redis: Redis;
let subscriber: Redis;
let queue: Queue;
let server: ServerType;
let base: string;
let browser: Browser;
let page: Page;
let moderatorKey: string;
const held: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function statusOf(id: string) {
  return (await commentRow(ctx.db, id)).status;
}
async function countByStatus(status: 'approved' | 'pending' | 'spam') {
  return countComments(ctx.db, { siteId: 'blog', status });
}
const currentId = () => page.locator('li.item.current').getAttribute('data-id');
const inflightDone = () =>
  page.waitForFunction(() => (document.body.dataset.inflight ?? '0') === '0', undefined, { timeout: 20_000 });

beforeAll(async () => {
  // Serve the script built from the current sources, not whatever dist/ holds.
  await buildModerateScript();
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'pre' });
  moderatorKey = (await createApiKey(ctx.db, { siteId: 'blog', role: 'moderator' })).key;
  const start = Date.now() - HELD * 60_000;
  for (let i = 0; i < HELD; i++) {
    const c = await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: THREAD,
      status: 'pending',
      body: `Gehaltener Kommentar ${i + 1}: Wer kommt am Freitag mit zum Stammtisch?`,
      authorName: `Leserin ${i + 1}`,
      createdAt: new Date(start + i * 60_000),
      score: 0.3 + (i % 5) / 10,
      reasons: [{ check: 'mode', weight: 0, detail: 'the site holds every comment (pre-moderation)' }],
    });
    held.push(c.id);
  }

  redis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  const readCache = createReadCache();
  const siteCache = createSiteCache(ctx.db);
  // As in main.ts: the moderators' streams are fed by the change events on Redis pub/sub.
  const moderationFeed = createModerationFeed({ db: ctx.db });
  subscriber = createWorkerConnection(ctx.redisUrl);
  await subscribeToChanges(subscriber, ctx.redisPrefix, (event) => moderationFeed.handle(event));
  const app = createApp({
    db: ctx.db,
    queue,
    siteCache,
    readCache,
    logger: createLogger({ service: 'api-browser-test', level: 'silent' }),
    registry: createMetricsRegistry('api-browser-test'),
    readiness: [],
    ipHashSecret: 'test-secret-test-secret',
    moderationFeed,
    onSiteChanged: async (siteId) => {
      siteCache.invalidateSite(siteId);
      readCache.invalidateSite(siteId);
    },
    onDecided: async (results) => {
      for (const r of results) {
        readCache.invalidateThread(r.siteId, r.threadKey);
        await publishChange(redis, ctx.redisPrefix, {
          type: 'comment.decided',
          siteId: r.siteId,
          threadKey: r.threadKey,
          id: r.id,
          status: r.to,
          by: r.by,
        });
      }
    },
  });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await launchChromium();
  // A German browser: the page answers in German (Accept-Language).
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'de-DE' });
  page.on('pageerror', (error) => console.error('page error:', error));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await queue?.close();
  await subscriber?.quit();
  await redis?.quit();
  await ctx?.cleanup();
});

describe('/moderate in Chromium, keyboard only', () => {
  it('signs in, approves, spams, undoes, bulk-approves and decides 50 held comments by keyboard; the read API shows them', async () => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });

    await page.goto(`${base}/moderate`);
    // The key field has autofocus; on a loaded machine the page may not have applied it yet, so focus it (no mouse either way).
    await page.focus('#key');
    await page.keyboard.type(moderatorKey);
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    await until('the held list', async () => (await page.locator('li.item').count()) === HELD);
    expect(await currentId()).toBe(held[0]);

    // a: approve the current one; the next becomes current at once.
    await page.keyboard.press('a');
    expect(await currentId()).toBe(held[1]);
    // s: spam; u: undo puts it back in the queue.
    await page.keyboard.press('s');
    await until('the spam decision', async () => (await statusOf(held[1]!)) === 'spam');
    await page.keyboard.press('u');
    await until('the undo', async () => (await statusOf(held[1]!)) === 'pending');
    await page.waitForSelector(`li.item[data-id="${held[1]}"]`, { timeout: 20_000 });
    await inflightDone();
    expect(await statusOf(held[0]!)).toBe('approved');

    // j/k move; x selects; shift+a approves the selection.
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    const first = await currentId();
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    const selected = await page
      .locator('li.item.selected')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!));
    expect(selected).toHaveLength(3);
    expect(selected[0]).toBe(first);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}moderate.png` });
    // axe through the DevTools protocol (evaluate is not subject to the page's CSP, an injected <script> would be).
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const axeViolations = await page.evaluate(async () => {
      const result = await (window as unknown as AxeWindow).axe.run(document);
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(axeViolations).toEqual([]);
    await page.keyboard.press('Shift+A');
    await until('the bulk approval', async () =>
      (await Promise.all(selected.map(statusOf))).every((s) => s === 'approved'),
    );
    await inflightDone();
    expect(await page.locator('li.item').count()).toBe(HELD - 4);

    // ? opens the help, Escape closes it.
    await page.keyboard.press('?');
    expect(await page.locator('#help').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('#help').isVisible()).toBe(false);

    // Fifty decisions in a row, timed from the first key press until the server holds all fifty.
    const approvedBefore = await countByStatus('approved');
    const started = performance.now();
    for (let i = 0; i < 50; i++) await page.keyboard.press('a');
    const typed = (performance.now() - started) / 1000;
    await until('fifty approvals', async () => (await countByStatus('approved')) === approvedBefore + 50, 30_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `moderate.browser: decided 50 held comments by keyboard in ${seconds.toFixed(2)} s (${((seconds * 1000) / 50).toFixed(0)} ms per comment, first key press to all stored; the key presses themselves took ${typed.toFixed(2)} s)`,
    );
    await inflightDone();
    expect(await page.locator('li.item').count()).toBe(HELD - 54);
    expect(await countByStatus('pending')).toBe(HELD - 54);
    expect(violations).toEqual([]);

    // The public read API shows what the moderator approved, and only that.
    const res = await fetch(`${base}/v1/sites/blog/threads/${encodeURIComponent(THREAD)}/comments?limit=200`);
    const thread = (await res.json()) as { comments: Array<{ id: string }> };
    expect(thread.comments).toHaveLength(54);
    const publicIds = new Set(thread.comments.map((c) => c.id));
    expect(publicIds.has(held[0]!)).toBe(true);
    for (const id of selected) expect(publicIds.has(id)).toBe(true);
    const stillHeld = await siteComments(ctx.db, 'blog', { status: 'pending' });
    for (const { id } of stillHeld) expect(publicIds.has(id)).toBe(false);
  });

  it('shows a newly held comment without a reload (live stream), and / searches', async () => {
    await page.waitForSelector('body[data-live="open"]', { timeout: 20_000 });
    const fresh = await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: THREAD,
      status: 'pending',
      body: 'Ganz frisch eingetroffen, bitte prüfen',
      authorName: 'Neu',
    });
    // What the worker publishes after a batch.
    const sent = performance.now();
    await publishChange(redis, ctx.redisPrefix, {
      type: 'comments.written',
      comments: [{ siteId: 'blog', threadKey: THREAD, id: fresh.id, status: 'pending' }],
    });
    await page.waitForSelector(`li.item[data-id="${fresh.id}"]`, { timeout: 20_000 });
    console.log(
      `moderate.browser: a held comment appeared ${Math.round(performance.now() - sent)} ms after its change event`,
    );

    await page.keyboard.press('/');
    await page.keyboard.type('frisch');
    await page.keyboard.press('Enter');
    await until('the search result', async () => (await page.locator('li.item').count()) === 1);
    expect(await currentId()).toBe(fresh.id);
    await page.keyboard.press('r');
    await until('the rejection', async () => (await statusOf(fresh.id)) === 'rejected');
  });
});

async function axe(): Promise<string[]> {
  // Through the DevTools protocol (evaluate is not subject to the page's CSP, an injected <script> would be).
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const result = await (window as unknown as AxeWindow).axe.run(document);
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('; ')}`,
    );
  });
}

describe('/moderate for the mouse, in German and English', () => {
  it('answers in German for a German browser, decides by button, switches to English, with zero axe violations', async () => {
    await page.goto(`${base}/moderate`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.locator('header button[type="submit"]').textContent()).toBe('Abmelden');
    expect(await page.locator('[data-view="stats"]').textContent()).toBe('Statistik');
    const items = page.locator('li.item');
    expect(await items.count()).toBeGreaterThanOrEqual(2);
    const buttons = await items.first().locator('.actions button').allTextContents();
    expect(buttons).toEqual(['Freigeben', 'Ablehnen', 'Spam']);
    expect(await axe()).toEqual([]);

    // A click decides the item it sits on, not the current one.
    const second = (await items.nth(1).getAttribute('data-id'))!;
    await items.nth(1).locator('button[data-action="approve"]').click();
    await until('the approval by button', async () => (await statusOf(second)) === 'approved');
    await page.waitForSelector(`li.item[data-id="${second}"]`, { state: 'detached' });
    // Select by checkbox, then the toolbar's bulk button.
    const first = (await items.first().getAttribute('data-id'))!;
    await items.first().locator('input[data-action="select"]').check();
    await page.click('button[data-bulk="spam"]');
    await until('the bulk spam by button', async () => (await statusOf(first)) === 'spam');
    await inflightDone();
    await page.click('button[data-toolbar="undo"]');
    await until('the undo by button', async () => (await statusOf(first)) === 'pending');

    // The statistics view, in German, with charts drawn from the data above.
    await page.click('[data-view="stats"]');
    await page.waitForSelector('body[data-stats-ready]', { timeout: 20_000 });
    expect(await page.locator('#stats-view svg.chart').count()).toBe(4);
    expect(await page.locator('#stats-view svg.chart').first().locator('rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#stats-view h3').first().textContent()).toBe('Kommentare pro Tag nach Ergebnis');
    expect(await axe()).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}moderate-stats-de.png`, fullPage: true });

    // The switch: English from now on, whatever the browser asks for.
    await page.click('nav.lang a[hreflang="en"]');
    await page.waitForSelector('html[lang="en"] body[data-ready="true"]', { timeout: 20_000 });
    expect(await page.locator('header button[type="submit"]').textContent()).toBe('Sign out');
    expect(await page.locator('li.item').first().locator('.actions button').allTextContents()).toEqual([
      'Approve',
      'Reject',
      'Spam',
    ]);
    expect(await axe()).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}moderate-en.png` });
    await page.click('nav.lang a[hreflang="de"]');
    await page.waitForSelector('html[lang="de"] body[data-ready="true"]', { timeout: 20_000 });
  });
});
