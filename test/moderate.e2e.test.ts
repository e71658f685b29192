/**
 * The moderation page, /docs and /embed.js in Chromium against the real
 * stack: ingest, worker and api as real processes over real Postgres and
 * Redis. A comment posted to ingest goes through the worker, whose change
 * event reaches the api over Redis pub/sub and the open page over SSE.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type AxeWindow,
  type RunningService,
  type TestContext,
  createTestContext,
  launchChromium,
  startService,
} from '@stammtisch/testkit';
import { buildEmbedScript, buildModerateScript } from '@stammtisch/widget';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const axeSource = readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const ADMIN_KEY = 'e2e-moderate-admin-key-0123456789';
const THREAD = '/2026/12/stammtisch-live';

let ctx: TestContext;
let ingest: RunningService;
let worker: RunningService;
let api: RunningService;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

async function post(body: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${ingest.url}/v1/sites/stamm/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // renderedAt as a person who read the page first: the timing check has no reason to file it as spam.
    body: JSON.stringify({
      thread: { key: THREAD, title: 'Stammtisch live' },
      author: { name: 'Leserin', email: 'leserin@example.org' },
      body,
      renderedAt: Date.now() - 30_000,
      ...extra,
    }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function statusOf(id: string): Promise<string> {
  const res = await fetch(`${api.url}/v1/moderation/queue?site=stamm&status=spam&limit=200`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  const spam = (await res.json()) as { items: Array<{ id: string }> };
  if (spam.items.some((i) => i.id === id)) return 'spam';
  const row = await ctx.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status ?? 'missing';
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function axe(): Promise<string[]> {
  await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const result = await (window as unknown as AxeWindow).axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

beforeAll(async () => {
  // Serve the scripts built from the current sources, not whatever dist/ holds.
  await Promise.all([buildEmbedScript(), buildModerateScript()]);
  ctx = await createTestContext();
  const env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const slow = { timeoutMs: 90_000 };
  [ingest, worker] = await Promise.all([startService('ingest', env, slow), startService('worker', env, slow)]);
  api = await startService('api', { ...env, PUBLIC_INGEST_URL: ingest.url }, slow);
  const created = await admin('/v1/admin/sites', {
    method: 'POST',
    body: JSON.stringify({
      id: 'stamm',
      name: 'Stammtisch-Blog',
      origins: ['*'],
      moderation: 'pre',
      settings: { locale: 'de', suspectWords: ['Rätselrunde'] },
    }),
  });
  expect(created.status).toBe(201);

  // Real data for the charts: held comments (one with a suspect word, so the top reasons have a bar whatever the
  // classifier thinks of the others), one the honeypot files as spam and a moderator overrules.
  const held = [];
  const bodies = [
    'Wer kommt am Freitag mit?',
    'Ich bringe Brezeln mit.',
    'Gibt es wieder Rätselrunde?',
    'Bis dann, und grüßt Oskar!',
  ];
  for (const body of bodies) held.push(await post(body));
  const trapped = await post('Günstige Uhren hier', { hp: 'bot' });
  await until(
    'the worker to store them',
    async () => (await ctx.db.selectFrom('comments').select('id').execute()).length === 5,
  );
  for (const [id, action] of [
    [held[0], 'approve'],
    [held[1], 'reject'],
    [trapped, 'approve'],
  ] as const) {
    expect(
      (await admin(`/v1/moderation/comments/${id}/decision`, { method: 'POST', body: JSON.stringify({ action }) }))
        .status,
    ).toBe(200);
  }

  browser = await launchChromium();
  context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await mkdir(artifacts, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([ingest, worker, api].map((s) => s?.stop()));
  await ctx?.cleanup();
});

describe('/moderate against the real stack', () => {
  it('shows a comment held by the worker in the open German page within 2 s, without a reload', {
    timeout: 120_000,
  }, async () => {
    await page.goto(`${api.url}/moderate`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.fill('#key', ADMIN_KEY);
    await page.click('button[type="submit"]');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForSelector('body[data-live="open"]', { timeout: 30_000 });
    const pending = await ctx.db.selectFrom('comments').select('id').where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    expect(await page.locator('li.item').count()).toBe(pending.length);

    const sent = Date.now();
    const id = await post('Frisch geschrieben: erscheint das sofort bei der Moderation?');
    await page.waitForSelector(`li.item[data-id="${id}"]`, { timeout: 30_000 });
    const ms = Date.now() - sent;
    console.log(
      `moderate.e2e: held comment visible in the open /moderate ${ms} ms after the POST to ingest (ingest → worker → Redis → api → SSE → page)`,
    );
    expect(await page.locator(`li.item[data-id="${id}"] .fresh-mark`).textContent()).toBe('neu');
    expect(await axe()).toEqual([]);
    await page.screenshot({ path: `${artifacts}moderate-e2e-de.png` });

    // A decision by someone else (here: the API) leaves the page at once too.
    const decided = await admin(`/v1/moderation/comments/${id}/decision`, {
      method: 'POST',
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(decided.status).toBe(200);
    await page.waitForSelector(`li.item[data-id="${id}"]`, { state: 'detached', timeout: 10_000 });
    expect(await statusOf(id)).toBe('approved');
  });

  it('switches to English and back, with zero axe violations in English too', { timeout: 60_000 }, async () => {
    await page.click('nav.lang a[hreflang="en"]');
    await page.waitForSelector('html[lang="en"] body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('[data-view="stats"]').textContent()).toBe('Statistics');
    expect(await axe()).toEqual([]);
    await page.click('nav.lang a[hreflang="de"]');
    await page.waitForSelector('html[lang="de"] body[data-ready="true"]', { timeout: 30_000 });
  });

  it('draws the Statistik charts from the real data', { timeout: 60_000 }, async () => {
    await page.click('[data-view="stats"]');
    await page.waitForSelector('body[data-stats-ready]', { timeout: 30_000 });
    const charts = page.locator('#stats-view svg.chart');
    expect(await charts.count()).toBe(4);
    // Today's bar holds every outcome the setup produced.
    const titles = await charts.first().locator('rect title').allTextContents();
    const byStatus = await ctx.db.selectFrom('comments').select(['status']).execute();
    for (const [status, outcome] of [
      ['approved', 'freigegeben'],
      ['pending', 'zurückgehalten'],
      ['rejected', 'abgelehnt'],
      ['spam', 'Spam'],
    ] as const) {
      const n = byStatus.filter((c) => c.status === status).length;
      if (n) expect(titles).toContainEqual(expect.stringContaining(`: ${n} ${outcome}`));
    }
    // The moderator overruled the filter's spam call on the honeypot comment: precision below 100 %.
    expect(Number(await page.locator('#stats-view .quality').getAttribute('data-precision'))).toBeLessThan(1);
    expect(await charts.nth(2).locator('rect.c-fp').count()).toBe(1);
    const waiting = (await ctx.db.selectFrom('comments').select('id').where('status', '=', 'pending').execute()).length;
    expect(await charts.nth(1).getAttribute('aria-label')).toContain(`< 1 Std. ${waiting}`);
    expect(await axe()).toEqual([]);
    await page.screenshot({ path: `${artifacts}moderate-e2e-stats.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
  });
});

describe('/docs and /embed.js in Chromium', () => {
  it('renders every operation of /openapi.json in the interactive reference, everything from this origin', {
    timeout: 90_000,
  }, async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    const docs = await context.newPage();
    const foreign: string[] = [];
    const violations: string[] = [];
    docs.on('request', (r) => {
      if (!r.url().startsWith(api.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    docs.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await docs.goto(`${api.url}/docs`);
    await docs.waitForFunction((n) => document.querySelectorAll('.opblock').length === n, operations, {
      timeout: 60_000,
    });
    const rendered = await docs.locator('.opblock').count();
    console.log(`docs.e2e: Swagger UI renders ${rendered} of ${operations} operations`);
    expect(rendered).toBe(operations);
    expect(await docs.locator('.opblock-summary-path').allTextContents()).toContain('/v1/moderation/events');
    // "Try it out" is there: open one operation and find the button.
    await docs.locator('.opblock-get .opblock-summary').first().click();
    await docs.waitForSelector('.try-out__btn', { timeout: 10_000 });
    await docs.screenshot({ path: `${artifacts}docs.png` });
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    await docs.close();
  });

  it('receives /embed.js compressed', { timeout: 60_000 }, async () => {
    const tab = await context.newPage();
    const response = await tab.goto(`${api.url}/embed.js`);
    const headers = await response!.allHeaders();
    const requestHeaders = await response!.request().allHeaders();
    const sizes = await response!.request().sizes();
    const decoded = (await response!.body()).length;
    console.log(
      `embed.e2e: Chromium asked with Accept-Encoding "${requestHeaders['accept-encoding']}", got ${headers['content-encoding']}: ${sizes.responseBodySize} bytes on the wire for ${decoded} bytes of script`,
    );
    expect(['br', 'gzip']).toContain(headers['content-encoding']);
    expect(headers.vary).toMatch(/accept-encoding/i);
    expect(sizes.responseBodySize).toBeLessThan(decoded / 2);
    await tab.close();
  });
});
