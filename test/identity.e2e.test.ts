/**
 * Commenter sign-in as a reader does it: a real OpenID provider
 * (oidc-provider with its development login and consent pages) on loopback,
 * ingest, worker and api as real processes, a blog page on a third origin
 * with the widget, and Debian's Chromium. The reader clicks the sign-in
 * button, signs in at the provider, comes back signed in, posts, and the
 * comment shows the verified name.
 */
import { type Server, createServer } from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type RunningService,
  type TestContext,
  createTestContext,
  eventually,
  launchChromium,
  startService,
} from '@stammtisch/testkit';
import { buildEmbedScript } from '@stammtisch/widget';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_USER, type TestIssuer, startTestIssuer } from '../services/api/test/oidc-provider.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const ADMIN_KEY = 'e2e-identity-admin-key-0123456789';
const THREAD = '/2026/11/anmelden';
let ctx: TestContext;
let ingest: RunningService;
let worker: RunningService;
let api: RunningService;
let issuer: TestIssuer;
let blog: Server;
let blogUrl: string;
let browser: Browser;
let page: Page;
let providerId: string;

beforeAll(async () => {
  await buildEmbedScript();
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
  // The provider knows the api's callback as its client's only redirect URI.
  issuer = await startTestIssuer([`${api.url}/v1/auth/callback`]);

  blog = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmelden</title></head><body><article><h1>Anmelden</h1><p>Ein Artikel.</p></article>` +
        `<div id="comments" data-site="idp" data-thread="${THREAD}"></div><script src="${api.url}/embed.js" async></script></body></html>`,
    );
  });
  await new Promise<void>((r) => blog.listen(0, '127.0.0.1', r));
  blogUrl = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;

  const admin = (path: string, body: unknown) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect(
    (
      await admin('/v1/admin/sites', {
        id: 'idp',
        name: 'Anmelde-Blog',
        origins: [blogUrl],
        moderation: 'post',
        settings: { locale: 'de' },
      })
    ).status,
  ).toBe(201);
  const created = await admin('/v1/admin/sites/idp/identity-providers', {
    name: 'Testkonto',
    issuer: issuer.issuer,
    clientId: issuer.clientId,
    clientSecret: issuer.clientSecret,
  });
  expect(created.status).toBe(201);
  providerId = (await created.json()).id;

  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'de-DE' });
  // Only this machine: the provider's development pages link a web font, which must not leave loopback.
  await context.route('**/*', (route) =>
    /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(route.request().url()) ? route.continue() : route.abort(),
  );
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (blog ? blog.close(() => r()) : r()));
  await issuer?.close();
  await Promise.all([ingest, worker, api].map((s) => s?.stop()));
  await ctx?.cleanup();
});

describe('signing in to comment', () => {
  it('clicks the provider button, signs in at the provider, comes back signed in, posts, and the comment shows the verified name', async () => {
    await page.goto(`${blogUrl}${THREAD}`);
    const button = page.locator('#comments a.btn', { hasText: 'Anmelden mit Testkonto' });
    await button.waitFor({ timeout: 20_000 });
    expect(await button.getAttribute('href')).toBe(
      `${api.url}/v1/sites/idp/auth/${providerId}/start?return=${encodeURIComponent(`${blogUrl}${THREAD}`)}`,
    );
    await button.click();

    // The provider's own pages: any login, then consent.
    await page.waitForURL((url) => url.href.startsWith(issuer.issuer), { timeout: 20_000 });
    await page.fill('input[name="login"]', 'clara');
    await page.fill('input[name="password"]', 'geheim');
    await page.click('button[type="submit"]');
    await page.locator('button', { hasText: 'Continue' }).click({ timeout: 20_000 });

    // Back on the article, signed in; the token left the address bar.
    await page.waitForURL((url) => url.href.startsWith(blogUrl), { timeout: 20_000 });
    await page
      .locator('#comments .au', { hasText: `Angemeldet als ${TEST_USER.name} (Testkonto)` })
      .waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(`${blogUrl}${THREAD}`);
    expect(await page.inputValue('#st-name')).toBe(TEST_USER.name);
    expect(await page.locator('#st-name').getAttribute('readonly')).not.toBeNull();

    await page.fill('#st-body', 'Angemeldet kommentiert: das Konto bürgt für den Namen.');
    // Humans take a few seconds to write; the timing check holds faster posts.
    await page.waitForTimeout(3500);
    await page.click('#comments button[type="submit"]');

    const comment = await eventually(
      async () => {
        const res = await fetch(`${api.url}/v1/sites/idp/threads/${encodeURIComponent(THREAD)}/comments`);
        return ((await res.json()) as { comments: { author: Record<string, unknown>; html: string }[] }).comments[0];
      },
      { message: 'the signed-in comment never became visible', timeoutMs: 20_000 },
    );
    expect(comment.author).toEqual({
      name: TEST_USER.name,
      url: 'https://clara.example/',
      verified: true,
      provider: 'Testkonto',
      avatar: expect.stringMatching(/^\/v1\/avatars\/[0-9a-f]{32}\.svg/),
    });

    await page.reload();
    await page.locator('#comments .v', { hasText: 'verifiziert über Testkonto' }).waitFor({ timeout: 20_000 });
    // Still signed in after a reload (sessionStorage, per site).
    await page.locator('#comments .au', { hasText: 'Angemeldet als' }).waitFor();
    await mkdir(artifacts, { recursive: true });
    await page.locator('#comments').screenshot({ path: `${artifacts}identity-signed-in.png` });
  });

  it('signs out: the name field is free again and the buttons are back', async () => {
    await page.locator('#comments button', { hasText: 'Abmelden' }).click();
    await page.locator('#comments a.btn', { hasText: 'Anmelden mit Testkonto' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#st-name').getAttribute('readonly')).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('stammtisch:t:idp'))).toBeNull();
  });
});
