import { TAGS, fileResponse } from '@stammtisch/contract/http';
import { z } from 'zod';
import { keyRoutes, routes } from '../shared/routes.js';
import { PRESETS, type PresetName } from './providers.js';

/** Commenter identity as declared routes: what `/openapi.json` says, and the schemas the requests are checked with. */

const Text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const Url = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http(s) URL');

export const CreateProviderRequest = z
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

export const EraseIdentityRequest = z
  .object({ issuer: z.string().min(1).max(2048), subject: z.string().min(1).max(500) })
  .strict();

export const EmailVerificationRequest = z
  .object({ email: z.string().trim().max(254).email('must be an email address') })
  .strict();

const admin = keyRoutes(TAGS.administration);
const reads = routes(TAGS.reads);
const writes = routes(TAGS.writes);
const page = (description: string) => fileResponse(description, ['text/html']);

export const createProviderRoute = admin.post(
  '/v1/admin/sites/{id}/identity-providers',
  'Add an OpenID Connect sign-in provider for commenters',
  {
    description:
      'Body: `{"name", "issuer", "clientId", "clientSecret", "scopes"?}`; the issuer\'s discovery document is read first (400 with the reason when it cannot be).',
    body: { CreateIdentityProviderRequest: CreateProviderRequest },
    answers: { 201: '`{"id", "name"}`', 400: 'invalid_request' },
  },
);

export const listProvidersRoute = admin.get(
  '/v1/admin/sites/{id}/identity-providers',
  "List a site's sign-in providers (never the secret)",
  { answers: { 200: 'Providers' } },
);

export const deleteProviderRoute = admin.delete(
  '/v1/admin/sites/{id}/identity-providers/{providerId}',
  'Remove a sign-in provider',
  { answers: { 204: 'Removed' } },
);

export const eraseIdentityRoute = admin.post(
  '/v1/admin/sites/{id}/identities/erase',
  'Erase a signed-in commenter\'s data (their comments read "[deleted]")',
  {
    description: 'Body: `{"issuer", "subject"}`.',
    body: { EraseIdentityRequest },
    answers: { 200: '`{"erased": n}`' },
  },
);

export const startSignInRoute = reads.get(
  '/v1/sites/{siteId}/auth/{providerId}/start',
  "Start a commenter's sign-in (302 to the provider; code flow with PKCE)",
  {
    description: "Query: `return`, a URL on one of the site's origins.",
    // Checked by the handler (a URL on one of the site's origins), so declared without a schema that would validate it.
    unchecked: {
      parameters: [
        {
          name: 'return',
          in: 'query',
          required: true,
          schema: { type: 'string' },
          description: "A URL on one of the site's origins",
        },
      ],
    },
    answers: { 302: 'To the provider', 400: 'invalid_request' },
  },
);

export const signInCallbackRoute = reads.get(
  '/v1/auth/callback',
  'Finish a sign-in; hands the page a short-lived commenter token',
  { answers: { 302: 'Back to the page', 400: page('An unknown or used sign-in') } },
);

export const providersRoute = reads.get(
  '/v1/sites/{siteId}/auth/providers',
  "The site's sign-in providers, for the widget's buttons",
  { answers: { 200: '`{"providers": [{"id", "name", "icon"}]}`', 404: 'site_not_found' } },
);

export const sendVerificationRoute = writes.post(
  '/v1/sites/{siteId}/email-verifications',
  "Send a one-time link that verifies a commenter's email",
  {
    body: { EmailVerificationRequest },
    answers: {
      202: 'Sent (when mail is configured)',
      400: 'invalid_request',
      404: 'site_not_found',
      429: 'rate_limited',
      503: 'unavailable (no mail configured)',
    },
  },
);

export const openVerificationRoute = reads.get(
  '/v1/email-verifications/{token}',
  'Open a verification link: works once, until it expires',
  { answers: { 200: page('Verified'), 404: page('Used or expired') } },
);

/** Every identity route: the reference lists them even on a server without commenter sign-in (where they answer 404). */
export const IDENTITY_ROUTES = [
  createProviderRoute,
  listProvidersRoute,
  deleteProviderRoute,
  eraseIdentityRoute,
  startSignInRoute,
  signInCallbackRoute,
  providersRoute,
  sendVerificationRoute,
  openVerificationRoute,
];
