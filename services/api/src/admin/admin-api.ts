import { TAGS } from '@stammtisch/contract/http';
import { z } from 'zod';
import { CreateKeyRequest, CreateSiteRequest, StatsQuery, UpdateSiteRequest } from '../schemas.js';
import { keyRoutes } from '../shared/routes.js';

/** Sites, keys, stats and a commenter's data as declared routes: what `/openapi.json` says about them. */

export const AuthorQuery = z.object({
  email: z
    .string()
    .trim()
    .min(3, 'must be an email address')
    .max(254, 'must be at most 254 characters')
    .email('must be an email address'),
});

const admin = keyRoutes(TAGS.administration);

export const createSiteRoute = admin.post('/v1/admin/sites', 'Create a site (admin key)', {
  body: { CreateSiteRequest },
  answers: { 201: 'The site', 400: 'invalid_request', 409: 'conflict (id taken)' },
});

export const listSitesRoute = admin.get('/v1/admin/sites', 'List the sites the key may see', {
  answers: { 200: '`{"sites": [...]}`' },
});

// A route about one site by its `{id}`: the handlers answer 404 site_not_found for one they do not know.
export const getSiteRoute = admin.get('/v1/admin/sites/{id}', 'A site', {
  answers: { 200: 'The site', 404: 'site_not_found' },
});

export const updateSiteRoute = admin.patch('/v1/admin/sites/{id}', 'Change a site (settings merge)', {
  body: { UpdateSiteRequest },
  answers: { 200: 'The site', 404: 'site_not_found' },
});

export const deleteSiteRoute = admin.delete('/v1/admin/sites/{id}', 'Delete a site and everything in it', {
  answers: { 204: 'Deleted', 404: 'site_not_found' },
});

export const createKeyRoute = admin.post('/v1/admin/sites/{id}/keys', 'Create an owner or moderator key (shown once)', {
  body: { CreateKeyRequest },
  answers: { 201: '`{"id", "key"}`' },
});

export const listKeysRoute = admin.get('/v1/admin/sites/{id}/keys', "List a site's keys (never the secret)", {
  answers: { 200: '`{"keys": [...]}`' },
});

export const revokeKeyRoute = admin.delete('/v1/admin/keys/{keyId}', 'Revoke a key', {
  answers: { 204: 'Revoked', 404: 'not_found' },
});

export const statsRoute = admin.get(
  '/v1/admin/sites/{id}/stats',
  'Comments by status, moderation figures and queue counts',
  {
    description:
      'With `from`, `to` (ISO 8601) and `bucket` (`hour` or `day`, UTC) the answer adds `"series": [{"t", "approved", "held", "spam", "rejected", "overrides", "falsePositives", "falseNegatives", "filteredSpam"}]` (comments written per bucket by their status now; decisions that overturned the spam stage), `"heldAges"` (the held queue by age) and `"topReasons"` (the checks that most often held or filed comments as spam).',
    query: StatsQuery,
    answers: {
      200: '`{"comments": {...}, "moderation": {"oldestPendingAgeSeconds", "medianTimeToDecisionSeconds", "overturned": {"approvedAfterSpam", "spamAfterApprove"}, "decisionsLast30Days"}, "queue": {...}}`',
    },
  },
);

export const exportAuthorRoute = admin.get(
  '/v1/admin/sites/{id}/authors',
  "Export an author's data by email (GDPR access)",
  { query: AuthorQuery, answers: { 200: "The author's comments, with email" } },
);

export const eraseAuthorRoute = admin.delete(
  '/v1/admin/sites/{id}/authors',
  'Erase an author\'s data by email (GDPR erasure): name and body become "[gelöscht]", email, URL and IP hash are cleared',
  { query: AuthorQuery, answers: { 200: '`{"erased": n}`' } },
);
