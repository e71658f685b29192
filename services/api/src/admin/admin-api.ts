import { jsonBody } from '@stammtisch/http';
import { errorResponses, jsonRequestBody, keyRoutes, keyRoutesById } from '@stammtisch/contract/http';
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

const adminRoute = keyRoutes('Administration');
/** A route about one site by its `{id}`; the handlers answer 404 site_not_found for one they do not know. */
const siteRoute = keyRoutesById('Administration');

export const createSiteRoute = adminRoute({
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

export const listSitesRoute = adminRoute({
  method: 'get',
  path: '/v1/admin/sites',
  summary: 'List the sites the key may see',
  responses: { 200: { description: '`{"sites": [...]}`' } },
});

export const getSiteRoute = siteRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}',
  summary: 'A site',
  responses: { 200: { description: 'The site' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const updateSiteRoute = siteRoute({
  method: 'patch',
  path: '/v1/admin/sites/{id}',
  summary: 'Change a site (settings merge)',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('UpdateSiteRequest', UpdateSiteRequest) },
  responses: { 200: { description: 'The site' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const deleteSiteRoute = siteRoute({
  method: 'delete',
  path: '/v1/admin/sites/{id}',
  summary: 'Delete a site and everything in it',
  responses: { 204: { description: 'Deleted' }, ...errorResponses({ 404: 'site_not_found' }) },
});

export const createKeyRoute = siteRoute({
  method: 'post',
  path: '/v1/admin/sites/{id}/keys',
  summary: 'Create an owner or moderator key (shown once)',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('CreateKeyRequest', CreateKeyRequest) },
  responses: { 201: { description: '`{"id", "key"}`' } },
});

export const listKeysRoute = siteRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}/keys',
  summary: "List a site's keys (never the secret)",
  responses: { 200: { description: '`{"keys": [...]}`' } },
});

export const revokeKeyRoute = adminRoute({
  method: 'delete',
  path: '/v1/admin/keys/{keyId}',
  summary: 'Revoke a key',
  request: { params: z.object({ keyId: z.string() }) },
  responses: { 204: { description: 'Revoked' }, ...errorResponses({ 404: 'not_found' }) },
});

export const statsRoute = siteRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}/stats',
  summary: 'Comments by status, moderation figures and queue counts',
  description:
    'With `from`, `to` (ISO 8601) and `bucket` (`hour` or `day`, UTC) the answer adds `"series": [{"t", "approved", "held", "spam", "rejected", "overrides", "falsePositives", "falseNegatives", "filteredSpam"}]` (comments written per bucket by their status now; decisions that overturned the spam stage), `"heldAges"` (the held queue by age) and `"topReasons"` (the checks that most often held or filed comments as spam).',
  request: { query: StatsQuery },
  responses: {
    200: {
      description:
        '`{"comments": {...}, "moderation": {"oldestPendingAgeSeconds", "medianTimeToDecisionSeconds", "overturned": {"approvedAfterSpam", "spamAfterApprove"}, "decisionsLast30Days"}, "queue": {...}}`',
    },
  },
});

export const exportAuthorRoute = siteRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}/authors',
  summary: "Export an author's data by email (GDPR access)",
  request: { query: AuthorQuery },
  responses: { 200: { description: "The author's comments, with email" } },
});

export const eraseAuthorRoute = siteRoute({
  method: 'delete',
  path: '/v1/admin/sites/{id}/authors',
  summary:
    'Erase an author\'s data by email (GDPR erasure): name and body become "[gelöscht]", email, URL and IP hash are cleared',
  request: { query: AuthorQuery },
  responses: { 200: { description: '`{"erased": n}`' } },
});
