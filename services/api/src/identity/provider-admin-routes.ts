import {
  type IdentityProvider,
  deleteIdentityProvider,
  eraseIdentityComments,
  insertIdentityProvider,
  listIdentityProviders,
} from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import { type AuthEnv, accessibleSite, assertSiteAccess } from '../auth.js';
import { type IdentityRoutesDeps, siteProvider } from './identity-deps.js';
import { createProviderRoute, deleteProviderRoute, eraseIdentityRoute, listProvidersRoute } from './identity-api.js';
import { PRESETS, clientConfiguration, insecureUrls } from './providers.js';

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
  const app = openApiRouter<AuthEnv>();

  app.openapi(createProviderRoute, async (c) => {
    const { id: siteId } = await accessibleSite(deps.db, c.get('principal'), c.req.valid('param').id);
    const input = c.req.valid('json');
    const preset = input.preset ? PRESETS[input.preset] : undefined;
    const issuer = input.issuer ?? preset?.issuer;
    const name = input.name ?? preset?.name;
    if (!issuer)
      throw new AppError('invalid_request', 'issuer: is required (or name a preset)', [
        { path: 'issuer', message: 'is required (or name a preset)' },
      ]);
    if (!name) throw new AppError('invalid_request', 'name: is required', [{ path: 'name', message: 'is required' }]);
    const endpoints = {
      authorizationEndpoint:
        input.authorizationEndpoint ??
        (preset && 'authorizationEndpoint' in preset ? preset.authorizationEndpoint : undefined),
      tokenEndpoint: input.tokenEndpoint ?? (preset && 'tokenEndpoint' in preset ? preset.tokenEndpoint : undefined),
      userinfoEndpoint:
        input.userinfoEndpoint ?? (preset && 'userinfoEndpoint' in preset ? preset.userinfoEndpoint : undefined),
    };
    // Explicit endpoints mean plain OAuth 2.0 (no discovery, profile from the user endpoint).
    const protocol = endpoints.authorizationEndpoint || endpoints.tokenEndpoint ? 'oauth2' : 'oidc';
    if (
      protocol === 'oauth2' &&
      (!endpoints.authorizationEndpoint || !endpoints.tokenEndpoint || !endpoints.userinfoEndpoint)
    ) {
      throw new AppError(
        'invalid_request',
        'OAuth 2.0 providers need authorizationEndpoint, tokenEndpoint and userinfoEndpoint',
        [
          {
            path: 'userinfoEndpoint',
            message: 'authorizationEndpoint, tokenEndpoint and userinfoEndpoint go together',
          },
        ],
      );
    }
    const insecure = insecureUrls({ issuer, ...endpoints });
    if (insecure.length) {
      throw new AppError(
        'invalid_request',
        `${insecure.join(', ')}: must be https (plain http only on loopback)`,
        insecure.map((path) => ({ path, message: 'must be https (plain http only on loopback)' })),
      );
    }
    const scopes =
      input.scopes ?? (preset ? [...preset.scopes] : protocol === 'oidc' ? ['openid', 'email', 'profile'] : []);
    if (protocol === 'oidc' && !scopes.includes('openid')) scopes.unshift('openid');
    if (protocol === 'oidc') {
      // Read the discovery document now, so a typo fails here and not at a reader's first sign-in.
      try {
        await clientConfiguration({ protocol, issuer, clientId: input.clientId, clientSecret: input.clientSecret });
      } catch (error) {
        const reason =
          error instanceof Error
            ? error.cause instanceof Error
              ? `${error.message}: ${error.cause.message}`
              : error.message
            : String(error);
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

  app.openapi(listProvidersRoute, async (c) => {
    const siteId = c.req.valid('param').id;
    assertSiteAccess(c.get('principal'), siteId, ['owner', 'moderator']);
    const rows = await listIdentityProviders(deps.db, siteId);
    return c.json({ providers: rows.map(adminProvider) });
  });

  app.openapi(deleteProviderRoute, async (c) => {
    const { id: siteId, providerId } = c.req.valid('param');
    assertSiteAccess(c.get('principal'), siteId, ['owner']);
    const provider = await siteProvider(deps.db, siteId, providerId);
    await deleteIdentityProvider(deps.db, provider.id);
    deps.configurations.forget(provider.id);
    return c.body(null, 204);
  });

  // Erasure: the identity's comments stay (the conversation keeps its shape) but lose the name, link and account reference.
  app.openapi(eraseIdentityRoute, async (c) => {
    const siteId = c.req.valid('param').id;
    assertSiteAccess(c.get('principal'), siteId, ['owner']);
    const { issuer, subject } = c.req.valid('json');
    const erased = await eraseIdentityComments(deps.db, { siteId, issuer, subject });
    await deps.onErased?.(siteId);
    return c.json({ erased });
  });

  return app;
}
