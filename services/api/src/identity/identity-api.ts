import { jsonBody } from '@stammtisch/http';
import {
  declareRoute,
  errorResponses,
  fileResponse,
  jsonRequestBody,
  keyRoutes,
  keyRoutesById,
} from '@stammtisch/contract/http';
import { z } from 'zod';
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

/** Ids the handlers check themselves (an unknown one is 404, never 400). */
const PublicSiteParams = z.object({ siteId: z.string() });

const adminRoute = keyRoutes('Administration');
/** A route about one site by its `{id}`. */
const siteRoute = keyRoutesById('Administration');

export const createProviderRoute = siteRoute({
  method: 'post',
  path: '/v1/admin/sites/{id}/identity-providers',
  summary: 'Add an OpenID Connect sign-in provider for commenters',
  description:
    'Body: `{"name", "issuer", "clientId", "clientSecret", "scopes"?}`; the issuer\'s discovery document is read first (400 with the reason when it cannot be).',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('CreateIdentityProviderRequest', CreateProviderRequest) },
  responses: { 201: { description: '`{"id", "name"}`' }, ...errorResponses({ 400: 'invalid_request' }) },
});

export const listProvidersRoute = siteRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}/identity-providers',
  summary: "List a site's sign-in providers (never the secret)",
  responses: { 200: { description: 'Providers' } },
});

export const deleteProviderRoute = adminRoute({
  method: 'delete',
  path: '/v1/admin/sites/{id}/identity-providers/{providerId}',
  summary: 'Remove a sign-in provider',
  request: { params: z.object({ id: z.string(), providerId: z.string() }) },
  responses: { 204: { description: 'Removed' } },
});

export const eraseIdentityRoute = siteRoute({
  method: 'post',
  path: '/v1/admin/sites/{id}/identities/erase',
  summary: 'Erase a signed-in commenter\'s data (their comments read "[deleted]")',
  description: 'Body: `{"issuer", "subject"}`.',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('EraseIdentityRequest', EraseIdentityRequest) },
  responses: { 200: { description: '`{"erased": n}`' } },
});

export const startSignInRoute = declareRoute({
  method: 'get',
  path: '/v1/sites/{siteId}/auth/{providerId}/start',
  tags: ['Public reads'],
  summary: "Start a commenter's sign-in (302 to the provider; code flow with PKCE)",
  description: "Query: `return`, a URL on one of the site's origins.",
  request: { params: z.object({ siteId: z.string(), providerId: z.string() }) },
  // Checked by the handler (a URL on one of the site's origins), so declared without a schema that would validate it.
  parameters: [
    {
      name: 'return',
      in: 'query',
      required: true,
      schema: { type: 'string' },
      description: "A URL on one of the site's origins",
    },
  ],
  responses: { 302: { description: 'To the provider' }, ...errorResponses({ 400: 'invalid_request' }) },
});

export const signInCallbackRoute = declareRoute({
  method: 'get',
  path: '/v1/auth/callback',
  tags: ['Public reads'],
  summary: 'Finish a sign-in; hands the page a short-lived commenter token',
  responses: {
    302: { description: 'Back to the page' },
    400: fileResponse('An unknown or used sign-in', ['text/html']),
  },
});

export const providersRoute = declareRoute({
  method: 'get',
  path: '/v1/sites/{siteId}/auth/providers',
  tags: ['Public reads'],
  summary: "The site's sign-in providers, for the widget's buttons",
  request: { params: PublicSiteParams },
  responses: {
    200: { description: '`{"providers": [{"id", "name", "icon"}]}`' },
    ...errorResponses({ 404: 'site_not_found' }),
  },
});

export const sendVerificationRoute = declareRoute({
  method: 'post',
  path: '/v1/sites/{siteId}/email-verifications',
  tags: ['Public writes (ingest)'],
  summary: "Send a one-time link that verifies a commenter's email",
  middleware: [jsonBody()],
  request: { params: PublicSiteParams, body: jsonRequestBody('EmailVerificationRequest', EmailVerificationRequest) },
  responses: {
    202: { description: 'Sent (when mail is configured)' },
    ...errorResponses({
      400: 'invalid_request',
      404: 'site_not_found',
      429: 'rate_limited',
      503: 'unavailable (no mail configured)',
    }),
  },
});

export const openVerificationRoute = declareRoute({
  method: 'get',
  path: '/v1/email-verifications/{token}',
  tags: ['Public reads'],
  summary: 'Open a verification link: works once, until it expires',
  request: { params: z.object({ token: z.string() }) },
  responses: { 200: fileResponse('Verified', ['text/html']), 404: fileResponse('Used or expired', ['text/html']) },
});

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
