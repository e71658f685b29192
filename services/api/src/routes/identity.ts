import { createHash, randomBytes } from 'node:crypto';
import { type DB, type IdentityProvider, type SiteCache, findSite, listIdentityBans } from '@stammtisch/db';
import { AppError, type Logger, clientIp, hashIp, jsonBody, validate } from '@stammtisch/http';
import { identityBanKey, signCommenterToken } from '@stammtisch/comments';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { html } from 'hono/html';
import type { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';
import { type ConfigurationCache, PRESETS, type PresetName, accountFromProfile, clientConfiguration, insecureUrls } from '../identity/providers.js';
import type { SecretBox } from '../identity/secret-box.js';

export interface MailToSend {
  to: string;
  subject: string;
  text: string;
}

export interface IdentityRoutesDeps {
  db: DB;
  siteCache: SiteCache;
  redis: Redis;
  redisPrefix: string;
  secretBox: SecretBox;
  /** COMMENTER_TOKEN_SECRET, shared with ingest. */
  tokenSecret: string;
  configurations: ConfigurationCache;
  /** Where the provider sends the reader back; defaults to the request's own origin. */
  publicApiUrl?: string;
  /** Sends the verification mail; unset: email verification answers 503. */
  sendMail?: (mail: MailToSend) => Promise<void>;
  ipHashSecret: string;
  trustProxy?: boolean;
  logger: Logger;
  /** After an erasure: caches of the site's threads must drop the old names. */
  onErased?: (siteId: string) => Promise<void>;
  /** Lifetime of a commenter token (s), at most an hour. */
  tokenTtlSeconds?: number;
  /** Lifetime of an email verification link (ms). */
  emailLinkTtlMs?: number;
}

const FLOW_TTL_S = 600;
const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const Url = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http(s) URL');

const CreateProviderRequest = z
  .object({
    name: Text(60).optional(),
    preset: z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]).optional(),
    issuer: Url.optional(),
    authorizationEndpoint: Url.optional(),
    tokenEndpoint: Url.optional(),
    userinfoEndpoint: Url.optional(),
    clientId: Text(500),
    clientSecret: Text(2000),
    scopes: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token'),
      )
      .min(1)
      .max(20)
      .optional(),
    icon: Url.optional(),
  })
  .strict();

export const EmailVerificationRequest = z.object({ email: z.string().trim().max(254).email('must be an email address') }).strict();

function publicProvider(p: IdentityProvider) {
  return { id: p.id, name: p.name, icon: p.icon };
}

function adminProvider(p: IdentityProvider) {
  return {
    id: p.id,
    name: p.name,
    preset: p.preset,
    protocol: p.protocol,
    issuer: p.issuer,
    clientId: p.clientId,
    scopes: p.scopes,
    icon: p.icon,
    createdAt: p.createdAt.toISOString(),
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function page(status: 'ok' | 'invalid' | 'failed', lang: 'de' | 'en' = 'de') {
  const texts = {
    de: {
      ok: ['E-Mail bestätigt', 'Danke! Ihre Kommentare mit dieser Adresse gelten jetzt als verifiziert.'],
      invalid: ['Link ungültig', 'Dieser Link ist abgelaufen oder wurde schon benutzt.'],
      failed: ['Anmeldung fehlgeschlagen', 'Die Anmeldung ist abgelaufen oder wurde schon benutzt. Bitte versuchen Sie es noch einmal.'],
    },
    en: {
      ok: ['Email verified', 'Thank you! Your comments with this address now count as verified.'],
      invalid: ['Invalid link', 'This link has expired or was used already.'],
      failed: ['Sign-in failed', 'The sign-in expired or was used already. Please try again.'],
    },
  } as const;
  const [title, text] = texts[lang][status];
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}

/** Whether `url` is on one of the site's origins. A site open to "*" cannot take sign-ins: the token would go anywhere. */
function returnAllowed(origins: string[], url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  return origins.some((o) => o !== '*' && URL.canParse(o) && new URL(o).origin === u.origin);
}

/** A fixed-window counter in Redis; true while under the limit. */
async function underLimit(redis: Redis, key: string, limit: number, windowS: number): Promise<boolean> {
  const n = await redis.incr(key);
  if (n === 1) await redis.expire(key, windowS);
  return n <= limit;
}

/**
 * Commenter identity: owners configure OpenID Connect / OAuth 2.0 providers,
 * readers sign in (code flow with PKCE, state and nonce) and get a short-lived
 * commenter token bound to the site, or prove an email address with a
 * one-time link. Moderators' identity bans are mirrored into Redis for ingest.
 */
export function identityRoutes(deps: IdentityRoutesDeps) {
  const app = new Hono<AuthEnv>();
  const flowKey = (state: string) => `${deps.redisPrefix}:oidc-flow:${state}`;

  async function providerOf(siteId: string, providerId: string): Promise<IdentityProvider> {
    const provider = z.string().uuid().safeParse(providerId).success
      ? await deps.db.selectFrom('identityProviders').selectAll().where('id', '=', providerId).where('siteId', '=', siteId).executeTakeFirst()
      : undefined;
    if (!provider) throw new AppError('not_found', `no identity provider ${providerId} on site ${siteId}`);
    return provider;
  }

  // --- administration ---------------------------------------------------------

  app.post('/v1/admin/sites/:id/identity-providers', jsonBody(), validate('json', CreateProviderRequest), async (c) => {
    const siteId = c.req.param('id');
    assertSiteAccess(c.get('principal'), siteId, ['owner']);
    if (!(await findSite(deps.db, siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const input = c.req.valid('json');
    const preset = input.preset ? PRESETS[input.preset] : undefined;
    const issuer = input.issuer ?? preset?.issuer;
    const name = input.name ?? preset?.name;
    if (!issuer)
      throw new AppError('invalid_request', 'issuer: is required (or name a preset)', [{ path: 'issuer', message: 'is required (or name a preset)' }]);
    if (!name) throw new AppError('invalid_request', 'name: is required', [{ path: 'name', message: 'is required' }]);
    const endpoints = {
      authorizationEndpoint: input.authorizationEndpoint ?? (preset && 'authorizationEndpoint' in preset ? preset.authorizationEndpoint : undefined),
      tokenEndpoint: input.tokenEndpoint ?? (preset && 'tokenEndpoint' in preset ? preset.tokenEndpoint : undefined),
      userinfoEndpoint: input.userinfoEndpoint ?? (preset && 'userinfoEndpoint' in preset ? preset.userinfoEndpoint : undefined),
    };
    // Explicit endpoints mean plain OAuth 2.0 (no discovery, profile from the user endpoint).
    const protocol = endpoints.authorizationEndpoint || endpoints.tokenEndpoint ? 'oauth2' : 'oidc';
    if (protocol === 'oauth2' && (!endpoints.authorizationEndpoint || !endpoints.tokenEndpoint || !endpoints.userinfoEndpoint)) {
      throw new AppError('invalid_request', 'OAuth 2.0 providers need authorizationEndpoint, tokenEndpoint and userinfoEndpoint', [
        { path: 'userinfoEndpoint', message: 'authorizationEndpoint, tokenEndpoint and userinfoEndpoint go together' },
      ]);
    }
    const insecure = insecureUrls({ issuer, ...endpoints });
    if (insecure.length) {
      throw new AppError(
        'invalid_request',
        `${insecure.join(', ')}: must be https (plain http only on loopback)`,
        insecure.map((path) => ({ path, message: 'must be https (plain http only on loopback)' })),
      );
    }
    const scopes = input.scopes ?? (preset ? [...preset.scopes] : protocol === 'oidc' ? ['openid', 'email', 'profile'] : []);
    if (protocol === 'oidc' && !scopes.includes('openid')) scopes.unshift('openid');
    if (protocol === 'oidc') {
      // Read the discovery document now, so a typo fails here and not at a reader's first sign-in.
      try {
        await clientConfiguration({ protocol, issuer, clientId: input.clientId, clientSecret: input.clientSecret });
      } catch (error) {
        const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
        throw new AppError('invalid_request', `issuer: could not read the discovery document (${reason})`, [
          { path: 'issuer', message: `discovery failed: ${reason}` },
        ]);
      }
    }
    const row = await deps.db
      .insertInto('identityProviders')
      .values({
        siteId,
        name,
        preset: input.preset ?? null,
        protocol,
        issuer,
        authorizationEndpoint: endpoints.authorizationEndpoint ?? null,
        tokenEndpoint: endpoints.tokenEndpoint ?? null,
        userinfoEndpoint: endpoints.userinfoEndpoint ?? null,
        clientId: input.clientId,
        clientSecretEnc: deps.secretBox.seal(input.clientSecret),
        scopes: JSON.stringify(scopes),
        icon: input.icon ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return c.json({ id: row.id, name: row.name }, 201);
  });

  app.get('/v1/admin/sites/:id/identity-providers', async (c) => {
    const siteId = c.req.param('id');
    assertSiteAccess(c.get('principal'), siteId, ['owner', 'moderator']);
    const rows = await deps.db.selectFrom('identityProviders').selectAll().where('siteId', '=', siteId).orderBy('createdAt').execute();
    return c.json({ providers: rows.map(adminProvider) });
  });

  app.delete('/v1/admin/sites/:id/identity-providers/:providerId', async (c) => {
    const siteId = c.req.param('id');
    assertSiteAccess(c.get('principal'), siteId, ['owner']);
    const provider = await providerOf(siteId, c.req.param('providerId'));
    await deps.db.deleteFrom('identityProviders').where('id', '=', provider.id).execute();
    deps.configurations.forget(provider.id);
    return c.body(null, 204);
  });

  // Erasure: the identity's comments stay (the conversation keeps its shape) but lose the name, link and account reference.
  app.post(
    '/v1/admin/sites/:id/identities/erase',
    jsonBody(),
    validate('json', z.object({ issuer: z.string().min(1).max(2048), subject: z.string().min(1).max(500) }).strict()),
    async (c) => {
      const siteId = c.req.param('id');
      assertSiteAccess(c.get('principal'), siteId, ['owner']);
      const { issuer, subject } = c.req.valid('json');
      const result = await deps.db
        .updateTable('comments')
        .set({ authorName: '[deleted]', authorUrl: null, authorEmail: null, authorIdentity: null })
        .where('siteId', '=', siteId)
        .where('authorIdentity', 'is not', null)
        .where(sql<string>`author_identity->>'issuer'`, '=', issuer)
        .where(sql<string>`author_identity->>'subject'`, '=', subject)
        .executeTakeFirst();
      await deps.onErased?.(siteId);
      return c.json({ erased: Number(result.numUpdatedRows) });
    },
  );

  // --- readers ----------------------------------------------------------------

  app.get('/v1/sites/:siteId/auth/providers', async (c) => {
    const siteId = c.req.param('siteId');
    if (!(await deps.siteCache.getSite(siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const rows = await deps.db.selectFrom('identityProviders').selectAll().where('siteId', '=', siteId).orderBy('createdAt').execute();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ providers: rows.map(publicProvider) });
  });

  app.get('/v1/sites/:siteId/auth/:providerId/start', async (c) => {
    const siteId = c.req.param('siteId');
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const provider = await providerOf(siteId, c.req.param('providerId'));
    const returnUrl = c.req.query('return') ?? '';
    if (!returnAllowed(site.origins, returnUrl)) {
      throw new AppError('invalid_request', 'return: must be a URL on one of the site origins', [
        { path: 'return', message: 'must be a URL on one of the site origins' },
      ]);
    }
    const config = await loadConfiguration(provider);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const redirectUri = `${(deps.publicApiUrl ?? new URL(c.req.url).origin).replace(/\/$/, '')}/v1/auth/callback`;
    const flow = { siteId, providerId: provider.id, nonce, verifier, returnUrl, redirectUri };
    await deps.redis.set(flowKey(state), JSON.stringify(flow), 'EX', FLOW_TTL_S);
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: (provider.scopes as string[]).join(' '),
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    if (provider.protocol === 'oidc') params.nonce = nonce;
    c.header('Cache-Control', 'no-store');
    return c.redirect(oidc.buildAuthorizationUrl(config, params).href, 302);
  });

  async function loadConfiguration(provider: IdentityProvider) {
    try {
      return await deps.configurations.get(provider, deps.secretBox.open(provider.clientSecretEnc));
    } catch (error) {
      deps.logger.warn({ err: error, providerId: provider.id }, 'identity provider unreachable');
      throw new AppError('unavailable', `the identity provider ${provider.name} cannot be reached`, undefined, 30);
    }
  }

  app.get('/v1/auth/callback', async (c) => {
    c.header('Cache-Control', 'no-store');
    const state = c.req.query('state');
    // GETDEL: a state is good for exactly one callback, so a replayed or stolen response does nothing.
    const stored = state ? await deps.redis.getdel(flowKey(state)) : null;
    if (!state || !stored) return c.html(page('failed'), 400);
    const flow = JSON.parse(stored) as { siteId: string; providerId: string; nonce: string; verifier: string; returnUrl: string; redirectUri: string };
    const back = (fragment: string) => c.redirect(`${flow.returnUrl.split('#')[0]}#${fragment}`, 302);
    if (c.req.query('error')) return back(`stammtisch_auth_error=${encodeURIComponent(c.req.query('error') ?? 'denied')}`);
    const provider = await deps.db.selectFrom('identityProviders').selectAll().where('id', '=', flow.providerId).executeTakeFirst();
    if (!provider) return c.html(page('failed'), 400);
    const config = await loadConfiguration(provider);
    const current = new URL(flow.redirectUri);
    current.search = new URL(c.req.url).search;
    let account: ReturnType<typeof accountFromProfile>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        ...(provider.protocol === 'oidc' && { expectedNonce: flow.nonce, idTokenExpected: true }),
      });
      let profile: Record<string, unknown> = {};
      if (provider.protocol === 'oidc') {
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        profile = { ...claims };
        // Many providers keep the ID token lean and put the name in userinfo.
        if (!profile.name && config.serverMetadata().userinfo_endpoint) {
          profile = { ...profile, ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), sub: claims.sub };
        }
      } else {
        const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(provider.userinfoEndpoint ?? ''), 'GET');
        if (!res.ok) throw new Error(`user endpoint answered ${res.status}`);
        profile = (await res.json()) as Record<string, unknown>;
      }
      account = accountFromProfile(profile);
      if (!account) throw new Error('the provider gave no subject or name');
    } catch (error) {
      deps.logger.warn({ err: error, providerId: provider.id }, 'sign-in failed');
      return back('stammtisch_auth_error=failed');
    }
    const token = await signCommenterToken(
      { sub: account.subject, iss: provider.issuer, site: flow.siteId, name: account.name, provider: provider.name, ...(account.url && { url: account.url }) },
      deps.tokenSecret,
      deps.tokenTtlSeconds,
    );
    return back(`stammtisch_token=${token}`);
  });

  // --- email verification -----------------------------------------------------

  app.options('/v1/sites/:siteId/email-verifications', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });

  app.post('/v1/sites/:siteId/email-verifications', jsonBody(), validate('json', EmailVerificationRequest), async (c) => {
    const siteId = c.req.param('siteId');
    c.header('Access-Control-Allow-Origin', '*');
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    if (!deps.sendMail) throw new AppError('unavailable', 'email verification is not configured on this server (SMTP_URL)', undefined, 3600);
    const email = c.req.valid('json').email.toLowerCase();
    const ipHash = hashIp(clientIp(c, deps.trustProxy ?? false), deps.ipHashSecret);
    // Per client and per address: nobody can flood an inbox through us.
    const okIp = await underLimit(deps.redis, `${deps.redisPrefix}:rl-verify-ip:${siteId}:${ipHash}`, 10, 3600);
    const okEmail = await underLimit(deps.redis, `${deps.redisPrefix}:rl-verify-email:${siteId}:${sha256(email)}`, 3, 3600);
    if (!okIp || !okEmail) throw new AppError('rate_limited', 'too many verification mails; try again later', undefined, 3600);
    const token = randomBytes(32).toString('base64url');
    await deps.db
      .insertInto('emailVerifications')
      .values({ siteId, email, tokenHash: sha256(token), expiresAt: new Date(Date.now() + (deps.emailLinkTtlMs ?? 24 * 3600_000)) })
      .execute();
    const base = (deps.publicApiUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
    const link = `${base}/v1/email-verifications/${token}`;
    const en = site.settings.locale?.toLowerCase().startsWith('en');
    await deps.sendMail({
      to: email,
      subject: en ? `Confirm your email for comments on ${site.name}` : `E-Mail-Adresse für Kommentare auf ${site.name} bestätigen`,
      text: en
        ? `Please confirm that this address is yours by opening this link (valid for 24 hours, once):\n\n${link}\n\nIf you did not ask for this, ignore this mail.`
        : `Bitte bestätigen Sie, dass diese Adresse Ihnen gehört, mit diesem Link (24 Stunden gültig, einmal):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.`,
    });
    return c.json({ status: 'sent' }, 202);
  });

  app.get('/v1/email-verifications/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    const tokenHash = sha256(c.req.param('token'));
    // One statement marks the link used, so two clicks at once verify once.
    const used = await deps.db
      .updateTable('emailVerifications')
      .set({ usedAt: new Date() })
      .where('tokenHash', '=', tokenHash)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', new Date())
      .returning(['siteId', 'email'])
      .executeTakeFirst();
    if (!used) return c.html(page('invalid'), 404);
    await deps.db
      .insertInto('verifiedEmails')
      .values({ siteId: used.siteId, email: used.email })
      .onConflict((oc) => oc.columns(['siteId', 'email']).doNothing())
      .execute();
    return c.html(page('ok'));
  });

  return app;
}

/** Rebuilds a site's identity-ban set in Redis from Postgres (the truth); ingest reads it on every signed-in comment. */
export async function syncIdentityBans(db: DB, redis: Redis, prefix: string, siteId: string): Promise<void> {
  const values = await listIdentityBans(db, siteId);
  const key = identityBanKey(prefix, siteId);
  const multi = redis.multi().del(key);
  if (values.length) multi.sadd(key, ...values);
  await multi.exec();
}
