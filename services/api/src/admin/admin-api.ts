import { jsonBody } from '@stammtisch/http';
import { KEY_AUTH, declareRoute, errorResponses, jsonRequestBody } from '@stammtisch/contract/http';
import { z } from 'zod';
import { CreateKeyRequest, CreateSiteRequest, StatsQuery, UpdateSiteRequest } from '../schemas.js';

/** Sites, keys, stats and a commenter's data as declared routes: what `/openapi.json` says about them. */

export const AuthorQuery = z.object({
  email: z
    .string()
    .trim()
    .min(3, 'must be an email address')
    .max(254, 'must be at most 254 characters')
    .email('must be an email address'),
});

/** The site id in the path; the handlers answer 404 site_not_found for one they do not know. */
const SiteParams = z.object({ id: z.string() });

const administration = { tags: ['Administration'], security: KEY_AUTH };

export const createSiteRoute = declareRoute({
  ...administration,
  method: 'post',
  path: '/v1/admin/sites',
  summary: 'Create a site (admin key)',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('CreateSiteRequest', CreateSiteRequest) },
  responses: {
    201: { description: 'The site' },
    ...errorResponses({ 400: 'invalid_request', 409: 'conflict (id taken)' }),
  },
});

export const listSitesRoute = declareRoute({
  ...administration,
  method: 'get',
  path: '/v1/admin/sites',
  summary: 'List the sites the key may see',
  responses: { 200: { description: '`{"sites": [...]}`' } },
});

export const getSiteRoute = declareRoute({
  ...administration,
  method: 'get',
  path: '/v1/admin/sites/{id}',
  summary: 'A site',
  request: { params: SiteParams },
  responses: { 200: { description: 'The site' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const updateSiteRoute = declareRoute({
  ...administration,
  method: 'patch',
  path: '/v1/admin/sites/{id}',
  summary: 'Change a site (settings merge)',
  middleware: [jsonBody()],
  request: { params: SiteParams, body: jsonRequestBody('UpdateSiteRequest', UpdateSiteRequest) },
  responses: { 200: { description: 'The site' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const deleteSiteRoute = declareRoute({
  ...administration,
  method: 'delete',
  path: '/v1/admin/sites/{id}',
  summary: 'Delete a site and everything in it',
  request: { params: SiteParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const createKeyRoute = declareRoute({
  ...administration,
  method: 'post',
  path: '/v1/admin/sites/{id}/keys',
  summary: 'Create an owner or moderator key (shown once)',
  middleware: [jsonBody()],
  request: { params: SiteParams, body: jsonRequestBody('CreateKeyRequest', CreateKeyRequest) },
  responses: { 201: { description: '`{"id", "key"}`' } },
});

export const listKeysRoute = declareRoute({
  ...administration,
  method: 'get',
  path: '/v1/admin/sites/{id}/keys',
  summary: "List a site's keys (never the secret)",
  request: { params: SiteParams },
  responses: { 200: { description: '`{"keys": [...]}`' } },
});

export const revokeKeyRoute = declareRoute({
  ...administration,
  method: 'delete',
  path: '/v1/admin/keys/{keyId}',
  summary: 'Revoke a key',
  request: { params: z.object({ keyId: z.string() }) },
  responses: { 204: { description: 'Revoked' }, ...errorResponses({ 404: 'not_found' }) },
});

export const statsRoute = declareRoute({
  ...administration,
  method: 'get',
  path: '/v1/admin/sites/{id}/stats',
  summary: 'Comments by status, moderation figures and queue counts',
  description:
    'With `from`, `to` (ISO 8601) and `bucket` (`hour` or `day`, UTC) the answer adds `"series": [{"t", "approved", "held", "spam", "rejected", "overrides", "falsePositives", "falseNegatives", "filteredSpam"}]` (comments written per bucket by their status now; decisions that overturned the spam stage), `"heldAges"` (the held queue by age) and `"topReasons"` (the checks that most often held or filed comments as spam).',
  request: { params: SiteParams, query: StatsQuery },
  responses: {
    200: {
      description:
        '`{"comments": {...}, "moderation": {"oldestPendingAgeSeconds", "medianTimeToDecisionSeconds", "overturned": {"approvedAfterSpam", "spamAfterApprove"}, "decisionsLast30Days"}, "queue": {...}}`',
    },
  },
});

export const exportAuthorRoute = declareRoute({
  ...administration,
  method: 'get',
  path: '/v1/admin/sites/{id}/authors',
  summary: "Export an author's data by email (GDPR access)",
  request: { params: SiteParams, query: AuthorQuery },
  responses: { 200: { description: "The author's comments, with email" } },
});

export const eraseAuthorRoute = declareRoute({
  ...administration,
  method: 'delete',
  path: '/v1/admin/sites/{id}/authors',
  summary:
    'Erase an author\'s data by email (GDPR erasure): name and body become "[gelöscht]", email, URL and IP hash are cleared',
  request: { params: SiteParams, query: AuthorQuery },
  responses: { 200: { description: '`{"erased": n}`' } },
});
