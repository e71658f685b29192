import { LRUCache } from 'lru-cache';
import type { IdentityProvider } from '@stammtisch/db';
import * as oidc from 'openid-client';

/**
 * Presets for the common providers. Google and Microsoft speak OpenID
 * Connect (discovery, ID token); GitHub and WordPress.com only OAuth 2.0, so
 * their endpoints are fixed here and the profile comes from their user API.
 */
export const PRESETS = {
  google: {
    name: 'Google',
    protocol: 'oidc',
    issuer: 'https://accounts.google.com',
    scopes: ['openid', 'email', 'profile'],
  },
  // Personal Microsoft accounts; for one organisation pass its tenant's issuer instead.
  microsoft: {
    name: 'Microsoft',
    protocol: 'oidc',
    issuer: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    scopes: ['openid', 'email', 'profile'],
  },
  github: {
    name: 'GitHub',
    protocol: 'oauth2',
    issuer: 'https://github.com',
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    userinfoEndpoint: 'https://api.github.com/user',
    scopes: ['read:user'],
  },
  wordpress: {
    name: 'WordPress.com',
    protocol: 'oauth2',
    issuer: 'https://wordpress.com',
    authorizationEndpoint: 'https://public-api.wordpress.com/oauth2/authorize',
    tokenEndpoint: 'https://public-api.wordpress.com/oauth2/token',
    userinfoEndpoint: 'https://public-api.wordpress.com/rest/v1.1/me',
    scopes: ['auth'],
  },
} as const satisfies Record<
  string,
  {
    name: string;
    protocol: 'oidc' | 'oauth2';
    issuer: string;
    scopes: string[];
    authorizationEndpoint?: string;
    tokenEndpoint?: string;
    userinfoEndpoint?: string;
  }
>;
export type PresetName = keyof typeof PRESETS;

/** Plain HTTP only for a provider on this machine (development, tests); anything else must be HTTPS. */
function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** The provider URLs that are plain http off this machine (client secrets and codes must not travel in clear). */
export function insecureUrls(urls: Record<string, string | undefined>): string[] {
  return Object.entries(urls).flatMap(([path, url]) =>
    url && new URL(url).protocol === 'http:' && !isLoopbackHttp(url) ? [path] : [],
  );
}

const TIMEOUT_S = 5;

/** The fields of a provider the client needs, decrypted. */
export interface ProviderSettings {
  protocol: 'oidc' | 'oauth2';
  issuer: string;
  authorizationEndpoint?: string | null;
  tokenEndpoint?: string | null;
  userinfoEndpoint?: string | null;
  clientId: string;
  clientSecret: string;
}

/**
 * An openid-client Configuration: by discovery for OpenID Connect (throws
 * when the document cannot be read or does not match the issuer), from the
 * stored endpoints for plain OAuth 2.0.
 */
export async function clientConfiguration(p: ProviderSettings): Promise<oidc.Configuration> {
  // Creation refuses plain http elsewhere (see assertSecureUrls), so http here means loopback.
  const insecure = [p.issuer, p.authorizationEndpoint, p.tokenEndpoint, p.userinfoEndpoint].some(
    (u) => u && isLoopbackHttp(u),
  );
  let config: oidc.Configuration;
  if (p.protocol === 'oidc') {
    config = await oidc.discovery(new URL(p.issuer), p.clientId, undefined, oidc.ClientSecretPost(p.clientSecret), {
      timeout: TIMEOUT_S,
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    });
  } else {
    config = new oidc.Configuration(
      {
        issuer: p.issuer,
        authorization_endpoint: p.authorizationEndpoint ?? undefined,
        token_endpoint: p.tokenEndpoint ?? undefined,
      },
      p.clientId,
      undefined,
      oidc.ClientSecretPost(p.clientSecret),
    );
    config.timeout = TIMEOUT_S;
    if (insecure) oidc.allowInsecureRequests(config);
  }
  return config;
}

/**
 * Discovery documents change rarely: keep each provider's Configuration for
 * a few minutes instead of fetching it on every sign-in.
 */
export function createConfigurationCache(ttlMs = 5 * 60_000) {
  const entries = new LRUCache<string, Promise<oidc.Configuration>>({ max: 1000, ttl: ttlMs });
  return {
    get(provider: IdentityProvider, clientSecret: string): Promise<oidc.Configuration> {
      const hit = entries.get(provider.id);
      if (hit) return hit;
      const value = clientConfiguration({ ...provider, clientSecret });
      entries.set(provider.id, value);
      // A failed discovery is not kept: the next sign-in tries again (the caller sees and logs the error).
      value.catch(() => entries.delete(provider.id));
      return value;
    },
    forget(providerId: string) {
      entries.delete(providerId);
    },
  };
}
export type ConfigurationCache = ReturnType<typeof createConfigurationCache>;

/** What we keep of an account: the least that makes a comment attributable. */
export interface Account {
  subject: string;
  name: string;
  url?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim()
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;
}

function httpUrl(value: unknown): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Maps a profile to an account. Covers OpenID Connect claims and the user
 * APIs of GitHub (`id`, `login`, `html_url`) and WordPress.com (`ID`,
 * `display_name`, `profile_URL`).
 */
export function accountFromProfile(profile: Record<string, unknown>): Account | null {
  const subject = str(profile.sub) ?? str(profile.id) ?? str(profile.ID);
  const name =
    str(profile.name) ??
    str(profile.display_name) ??
    str(profile.preferred_username) ??
    str(profile.login) ??
    str(profile.username) ??
    str(profile.nickname);
  if (!subject || !name) return null;
  const url =
    httpUrl(profile.website) ?? httpUrl(profile.profile) ?? httpUrl(profile.html_url) ?? httpUrl(profile.profile_URL);
  return { subject, name: name.slice(0, 80), ...(url && { url }) };
}
