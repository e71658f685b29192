import { type IdentityProvider, findIdentityProvider, listIdentityProviders } from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import { signCommenterToken } from '@stammtisch/comments';
import * as oidc from 'openid-client';
import { providersRoute, signInCallbackRoute, startSignInRoute } from './identity-api.js';
import { type IdentityRoutesDeps, siteProvider } from './identity-deps.js';
import { page } from './pages.js';
import { accountFromProfile } from './providers.js';

/** How long a started sign-in may take (the flow's state in Redis). */
const FLOW_TTL_S = 600;

function publicProvider(p: IdentityProvider) {
  return { id: p.id, name: p.name, icon: p.icon };
}

/** Whether `url` is on one of the site's origins. A site open to "*" cannot take sign-ins: the token would go anywhere. */
function returnAllowed(origins: string[], url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  return origins.some((o) => o !== '*' && URL.canParse(o) && new URL(o).origin === u.origin);
}

/**
 * Readers sign in: the site's providers, the start (code flow with PKCE,
 * state and nonce) and the provider's callback, which answers with a
 * short-lived commenter token bound to the site.
 */
export function signInRoutes(deps: IdentityRoutesDeps) {
  const app = openApiRouter();
  const flowKey = (state: string) => `${deps.redisPrefix}:oidc-flow:${state}`;

  app.openapi(providersRoute, async (c) => {
    const { siteId } = c.req.valid('param');
    if (!(await deps.siteCache.getSite(siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const rows = await listIdentityProviders(deps.db, siteId);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ providers: rows.map(publicProvider) });
  });

  app.openapi(startSignInRoute, async (c) => {
    const { siteId, providerId } = c.req.valid('param');
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const provider = await siteProvider(deps.db, siteId, providerId);
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

  app.openapi(signInCallbackRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    const state = c.req.query('state');
    // GETDEL: a state is good for exactly one callback, so a replayed or stolen response does nothing.
    const stored = state ? await deps.redis.getdel(flowKey(state)) : null;
    if (!state || !stored) return c.html(page('failed'), 400);
    const flow = JSON.parse(stored) as {
      siteId: string;
      providerId: string;
      nonce: string;
      verifier: string;
      returnUrl: string;
      redirectUri: string;
    };
    const back = (fragment: string) => c.redirect(`${flow.returnUrl.split('#')[0]}#${fragment}`, 302);
    if (c.req.query('error'))
      return back(`stammtisch_auth_error=${encodeURIComponent(c.req.query('error') ?? 'denied')}`);
    const provider = await findIdentityProvider(deps.db, flow.providerId);
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
          profile = {
            ...profile,
            ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))),
            sub: claims.sub,
          };
        }
      } else {
        const res = await oidc.fetchProtectedResource(
          config,
          tokens.access_token,
          new URL(provider.userinfoEndpoint ?? ''),
          'GET',
        );
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
      {
        sub: account.subject,
        iss: provider.issuer,
        site: flow.siteId,
        name: account.name,
        provider: provider.name,
        ...(account.url && { url: account.url }),
      },
      deps.tokenSecret,
      deps.tokenTtlSeconds,
    );
    return back(`stammtisch_token=${token}`);
  });

  return app;
}
