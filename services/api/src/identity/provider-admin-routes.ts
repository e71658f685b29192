import { type IdentityProvider, deleteIdentityProvider, eraseIdentityComments, findSite, insertIdentityProvider, listIdentityProviders } from '@stammtisch/db';
import { AppError, jsonBody, validate } from '@stammtisch/http';
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';
import { type IdentityRoutesDeps, siteProvider } from './identity-deps.js';
import { PRESETS, type PresetName, clientConfiguration, insecureUrls } from './providers.js';

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

/** Owners configure their site's sign-in providers, and erase a signed-in commenter's identity from their comments. */
export function providerAdminRoutes(deps: IdentityRoutesDeps) {
  const app = new Hono<AuthEnv>();

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
    const row = await insertIdentityProvider(deps.db, {
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
    });
    return c.json({ id: row.id, name: row.name }, 201);
  });

  app.get('/v1/admin/sites/:id/identity-providers', async (c) => {
    const siteId = c.req.param('id');
    assertSiteAccess(c.get('principal'), siteId, ['owner', 'moderator']);
    const rows = await listIdentityProviders(deps.db, siteId);
    return c.json({ providers: rows.map(adminProvider) });
  });

  app.delete('/v1/admin/sites/:id/identity-providers/:providerId', async (c) => {
    const siteId = c.req.param('id');
    assertSiteAccess(c.get('principal'), siteId, ['owner']);
    const provider = await siteProvider(deps.db, siteId, c.req.param('providerId'));
    await deleteIdentityProvider(deps.db, provider.id);
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
      const erased = await eraseIdentityComments(deps.db, { siteId, issuer, subject });
      await deps.onErased?.(siteId);
      return c.json({ erased });
    },
  );

  return app;
}
