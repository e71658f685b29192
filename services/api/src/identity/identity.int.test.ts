import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { identityBanKey, verifyCommenterToken } from '@stammtisch/comments';
import { findIdentityProvider, isEmailVerified } from '@stammtisch/db';
import { createMailer } from '@stammtisch/mail';
import {
  type TestContext,
  commentRow,
  createTestContext,
  expireEmailVerifications,
  makeComment,
  makeSite,
  markEmailVerified,
  setCommentAuthor,
} from '@stammtisch/testkit';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';
import { TEST_USER, type TestIssuer, signInWithoutBrowser, startTestIssuer } from '../../test/oidc-provider.js';

const API_URL = 'http://api.test';
const TOKEN_SECRET = 'test-commenter-token-secret-0123456789abcdef';
let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let issuer: TestIssuer;
/** Mails as the SMTP server received them. */
const mails: { to: string; text: string }[] = [];
let smtp: SMTPServer;

/** A real SMTP server on loopback; the api sends through @stammtisch/mail, as main.ts wires it. */
async function startSmtp(): Promise<string> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Quoted-printable soft line breaks would split the link.
        const raw = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '=');
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text: raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  return `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  ctx = await createTestContext();
  issuer = await startTestIssuer([`${API_URL}/v1/auth/callback`]);
  const mailer = createMailer({
    smtpUrl: await startSmtp(),
    from: 'Stammtisch <no-reply@localhost>',
    logger: { debug() {} },
  })!;
  api = buildApi(ctx, {
    publicApiUrl: API_URL,
    identity: {
      redis: ctx.redis,
      redisPrefix: ctx.redisPrefix,
      tokenSecret: TOKEN_SECRET,
      secretKey: 'test-identity-secret-key-0123456789abcdef',
      sendMail: (mail) => mailer.send(mail),
      emailLinkTtlMs: 60_000,
    },
  });
  await makeSite(ctx.db, { id: 'blog', origins: ['https://blog.example'] });
  await makeSite(ctx.db, { id: 'other', origins: ['https://other.example'] });
});

afterAll(async () => {
  await api?.close();
  await issuer?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  await ctx?.cleanup();
});

async function addProvider(site = 'blog', body: Record<string, unknown> = {}) {
  const res = await api.request(`/v1/admin/sites/${site}/identity-providers`, {
    method: 'POST',
    key: ADMIN_KEY,
    json: {
      name: 'Testkonto',
      issuer: issuer.issuer,
      clientId: issuer.clientId,
      clientSecret: issuer.clientSecret,
      ...body,
    },
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; name: string; error?: { code: string; message: string } },
  };
}

async function start(providerId: string, returnUrl = 'https://blog.example/2012/03/kleine-fluchten', site = 'blog') {
  return api.request(`/v1/sites/${site}/auth/${providerId}/start?return=${encodeURIComponent(returnUrl)}`);
}

describe('identity providers (admin)', () => {
  it('adds a provider after reading its discovery document, lists it without the secret, and stores the secret encrypted', async () => {
    const created = await addProvider();
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Testkonto' });

    const list = await api.request('/v1/admin/sites/blog/identity-providers', { key: ADMIN_KEY });
    const text = await list.text();
    expect(text).not.toContain(issuer.clientSecret);
    expect(JSON.parse(text).providers).toContainEqual(
      expect.objectContaining({
        id: created.body.id,
        name: 'Testkonto',
        protocol: 'oidc',
        scopes: ['openid', 'email', 'profile'],
      }),
    );

    const row = await findIdentityProvider(ctx.db, created.body.id);
    expect(row?.clientSecretEnc).toMatch(/^v1\./);
    expect(row?.clientSecretEnc).not.toContain(issuer.clientSecret);

    const publicList = await (await api.request('/v1/sites/blog/auth/providers')).json();
    expect(publicList.providers).toContainEqual({ id: created.body.id, name: 'Testkonto', icon: null });
  });

  it('answers 400 invalid_request with the reason when the issuer cannot be read', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const res = await addProvider('blog', { issuer: `http://127.0.0.1:${port}` });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_request');
    expect(res.body.error?.message).toContain('discovery');
  });

  it('refuses plain http endpoints off loopback', async () => {
    const res = await addProvider('blog', {
      issuer: 'http://idp.example',
      authorizationEndpoint: 'http://idp.example/a',
      tokenEndpoint: 'https://idp.example/t',
      userinfoEndpoint: 'https://idp.example/u',
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('issuer, authorizationEndpoint: must be https (plain http only on loopback)');
  });

  it('deletes a provider, after which its sign-in is 404', async () => {
    const created = await addProvider();
    const del = await api.request(`/v1/admin/sites/blog/identity-providers/${created.body.id}`, {
      method: 'DELETE',
      key: ADMIN_KEY,
    });
    expect(del.status).toBe(204);
    expect((await start(created.body.id)).status).toBe(404);
  });
});

describe('sign-in flow', () => {
  it('redirects to the authorization endpoint with PKCE S256, state and nonce, and refuses a return URL off the site', async () => {
    const { body } = await addProvider();
    const res = await start(body.id);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(issuer.issuer);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe(`${API_URL}/v1/auth/callback`);

    const evil = await start(body.id, 'https://evil.example/steal');
    expect(evil.status).toBe(400);
    expect((await evil.json()).error.code).toBe('invalid_request');
  });

  it('signs in at the provider, returns to the page with a commenter token bound to the site, and refuses the same state twice', async () => {
    const { body } = await addProvider();
    const started = await start(body.id);
    const callback = await signInWithoutBrowser(started.headers.get('location')!, 'clara');
    expect(callback.origin + callback.pathname).toBe(`${API_URL}/v1/auth/callback`);

    const done = await api.request(callback.pathname + callback.search);
    expect(done.status).toBe(302);
    const back = new URL(done.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('https://blog.example/2012/03/kleine-fluchten');
    const token = new URLSearchParams(back.hash.slice(1)).get('stammtisch_token')!;
    const checked = await verifyCommenterToken(token, TOKEN_SECRET, 'blog');
    expect(checked).toMatchObject({
      ok: true,
      claims: {
        sub: 'clara',
        iss: issuer.issuer,
        site: 'blog',
        name: TEST_USER.name,
        provider: 'Testkonto',
        url: 'https://clara.example/',
      },
    });
    if (checked.ok) expect(checked.claims.exp - checked.claims.iat).toBeLessThanOrEqual(3600);
    expect(await verifyCommenterToken(token, TOKEN_SECRET, 'other')).toEqual({ ok: false, problem: 'site' });

    // The same provider response again (a replay, or a second tab): the state is gone.
    const replay = await api.request(callback.pathname + callback.search);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('Anmeldung fehlgeschlagen');
  });

  it('signs in through a plain OAuth 2.0 provider (explicit endpoints, profile from its user endpoint), as the GitHub and WordPress.com presets do', async () => {
    const { status, body } = await addProvider('blog', {
      name: 'OAuth-Konto',
      // The provider's own identifier: it names itself in the authorization response (RFC 9207), which is checked.
      issuer: issuer.issuer,
      authorizationEndpoint: `${issuer.issuer}/auth`,
      tokenEndpoint: `${issuer.issuer}/token`,
      userinfoEndpoint: `${issuer.issuer}/me`,
      scopes: ['openid', 'profile'],
    });
    expect(status).toBe(201);
    const started = await start(body.id);
    const authorize = new URL(started.headers.get('location')!);
    expect(authorize.searchParams.get('nonce')).toBeNull();
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await signInWithoutBrowser(authorize.href, 'olga');
    const done = await api.request(callback.pathname + callback.search);
    const token = new URLSearchParams(new URL(done.headers.get('location')!).hash.slice(1)).get('stammtisch_token');
    expect(await verifyCommenterToken(token ?? '', TOKEN_SECRET, 'blog')).toMatchObject({
      ok: true,
      claims: { sub: 'olga', iss: issuer.issuer, name: TEST_USER.name, provider: 'OAuth-Konto' },
    });
  });

  it('refuses a callback whose state was never issued', async () => {
    const res = await api.request('/v1/auth/callback?code=abc&state=made-up');
    expect(res.status).toBe(400);
  });

  it('keeps the flow state in Redis for at most ten minutes', async () => {
    const { body } = await addProvider();
    const state = new URL((await start(body.id)).headers.get('location')!).searchParams.get('state')!;
    const ttl = await ctx.redis.ttl(`${ctx.redisPrefix}:oidc-flow:${state}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
  });
});

describe('identity bans and erasure', () => {
  it('mirrors identity bans into the Redis set ingest reads, and drops them again on delete', async () => {
    const value = `${issuer.issuer}|mallory`;
    const res = await api.request('/v1/moderation/bans', {
      method: 'POST',
      key: ADMIN_KEY,
      json: { site: 'blog', kind: 'identity', value },
    });
    expect(res.status).toBe(201);
    const key = identityBanKey(ctx.redisPrefix, 'blog');
    expect(await ctx.redis.sismember(key, value)).toBe(1);
    const { id } = await res.json();
    const listed = await (await api.request('/v1/moderation/bans?site=blog', { key: ADMIN_KEY })).json();
    expect(listed.bans).toContainEqual({
      id,
      site: 'blog',
      kind: 'identity',
      value,
      shadow: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect((await api.request(`/v1/moderation/bans/${id}`, { method: 'DELETE', key: ADMIN_KEY })).status).toBeLessThan(
      300,
    );
    expect(await ctx.redis.sismember(key, value)).toBe(0);
  });

  it('shows in the moderation queue how an author is verified, and erases an identity on the owner’s request', async () => {
    const identity = { provider: 'Testkonto', issuer: issuer.issuer, subject: 'erase-me' };
    const signed = await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: '/erase',
      status: 'pending',
      authorName: 'Signed In',
    });
    await setCommentAuthor(ctx.db, signed.id, { identity, email: null });
    const byEmail = await makeComment(ctx.db, {
      siteId: 'blog',
      threadKey: '/erase',
      status: 'pending',
      authorName: 'Proven Mail',
    });
    await setCommentAuthor(ctx.db, byEmail.id, { email: 'Proven@Example.org' });
    await markEmailVerified(ctx.db, 'blog', 'proven@example.org');

    const queue = await (await api.request('/v1/moderation/queue?site=blog&status=pending', { key: ADMIN_KEY })).json();
    const item = (id: string) => queue.items.find((i: { id: string }) => i.id === id);
    expect(item(signed.id).author).toMatchObject({
      verified: true,
      verifiedBy: 'oidc',
      provider: 'Testkonto',
      identity: `${issuer.issuer}|erase-me`,
    });
    expect(item(byEmail.id).author).toMatchObject({ verified: true, verifiedBy: 'email', provider: null });

    const erased = await api.request('/v1/admin/sites/blog/identities/erase', {
      method: 'POST',
      key: ADMIN_KEY,
      json: { issuer: issuer.issuer, subject: 'erase-me' },
    });
    expect(await erased.json()).toEqual({ erased: 1 });
    const row = await commentRow(ctx.db, signed.id);
    expect(row).toMatchObject({ authorName: '[deleted]', authorIdentity: null, authorUrl: null });
  });
});

describe('email verification', () => {
  it('mails a one-time link that verifies the address once, and is refused after use', async () => {
    const res = await api.request('/v1/sites/blog/email-verifications', {
      method: 'POST',
      json: { email: 'Dora@Example.org' },
    });
    expect(res.status).toBe(202);
    const mail = mails.at(-1)!;
    expect(mail.to).toBe('dora@example.org');
    const link = new URL(mail.text.match(/https?:\/\/\S+/)![0]);
    expect(link.origin).toBe(API_URL);

    const first = await api.request(link.pathname);
    expect(first.status).toBe(200);
    expect(await isEmailVerified(ctx.db, 'blog', 'dora@example.org')).toBe(true);
    const again = await api.request(link.pathname);
    expect(again.status).toBe(404);
  });

  it('refuses an expired link', async () => {
    await api.request('/v1/sites/blog/email-verifications', { method: 'POST', json: { email: 'late@example.org' } });
    const link = new URL(mails.at(-1)!.text.match(/https?:\/\/\S+/)![0]);
    await expireEmailVerifications(ctx.db, 'late@example.org');
    expect((await api.request(link.pathname)).status).toBe(404);
    expect(await isEmailVerified(ctx.db, 'blog', 'late@example.org')).toBe(false);
  });

  it('rate-limits links per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await api.request('/v1/sites/blog/email-verifications', {
            method: 'POST',
            json: { email: 'flood@example.org' },
          })
        ).status,
      );
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
