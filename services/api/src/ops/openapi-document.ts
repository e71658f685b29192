import { operationIdOf } from '@stammtisch/contract/http';
import { z } from 'zod';
import { NdjsonComment } from '../porting/index.js';
import { EmailVerificationRequest } from '../identity/email-verification-routes.js';
import { ExportQuery, ImportQuery } from '../porting/porting-routes.js';
import { AuthorQuery } from '../admin/privacy-routes.js';
import { BanRequest, BulkDecisionRequest, DecisionRequest, QueueQuery, ThreadCloseRequest, UndoRequest } from '../moderation/moderation-routes.js';
import { ModerationEventsQuery } from '../moderation/event-routes.js';
import { CreateKeyRequest, CreateSiteRequest, SiteSettings, StatsQuery, UpdateSiteRequest } from '../schemas.js';

/**
 * TRANSITION ONLY: the routes not yet declared with `createRoute` next to
 * their handler, as a table (method, path, summary, which schema checks the
 * request). `buildOpenApiDocument` (openapi-spec.ts) adds the entries the
 * app does not declare itself. Each entry goes when its route is declared;
 * the table goes when it is empty.
 */

type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteDoc {
  method: Method;
  path: string;
  tag: 'Public writes (ingest)' | 'Public reads' | 'Moderation' | 'Administration' | 'Operations';
  summary: string;
  description?: string;
  auth?: true;
  query?: z.ZodObject;
  /** A JSON body, by the name it gets under components.schemas. */
  body?: [name: string, schema: z.ZodType];
  /** A body that is a file (imports). */
  fileBody?: { types: string[]; description: string };
  responses: Record<string, string>;
  /** A response body other than JSON (exports, feeds, scripts). */
  produces?: string[];
}

const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/moderation/queue',
    tag: 'Moderation',
    auth: true,
    summary: 'Comments to review',
    query: QueueQuery,
    responses: { '200': '`{"items": [...], "nextCursor"}`', '401': 'unauthorized', '403': 'forbidden' },
  },
  {
    method: 'get',
    path: '/v1/moderation/events',
    tag: 'Moderation',
    auth: true,
    summary: "Moderators' live stream (Server-Sent Events)",
    description:
      '`event: held` with a queue item when the spam stage holds a comment; `event: decided` with `{"id", "status", "by"}` when anyone decides one. Authorised like the queue (Bearer key or the page\'s session); served by any api process (Redis pub/sub).',
    query: ModerationEventsQuery,
    produces: ['text/event-stream'],
    responses: { '200': 'An event stream', '401': 'unauthorized' },
  },
  {
    method: 'post',
    path: '/v1/moderation/comments/{id}/decision',
    tag: 'Moderation',
    auth: true,
    summary: 'Approve, reject or mark one comment as spam',
    body: ['DecisionRequest', DecisionRequest],
    responses: { '200': '`{"id", "status"}`', '404': 'comment_not_found' },
  },
  {
    method: 'post',
    path: '/v1/moderation/comments/{id}/pin',
    tag: 'Moderation',
    auth: true,
    summary: 'Pin a comment: it comes first in its thread',
    responses: { '200': '`{"id", "pinned": true}`', '404': 'comment_not_found' },
  },
  {
    method: 'delete',
    path: '/v1/moderation/comments/{id}/pin',
    tag: 'Moderation',
    auth: true,
    summary: 'Unpin a comment',
    responses: { '200': '`{"id", "pinned": false}`', '404': 'comment_not_found' },
  },
  {
    method: 'post',
    path: '/v1/moderation/decisions',
    tag: 'Moderation',
    auth: true,
    summary: 'Decide up to 500 comments at once',
    body: ['BulkDecisionRequest', BulkDecisionRequest],
    responses: { '200': '`{"updated": n}`' },
  },
  {
    method: 'get',
    path: '/v1/moderation/audit',
    tag: 'Moderation',
    auth: true,
    summary: 'Who did what, when, from which status to which',
    responses: { '200': 'Audit entries' },
  },
  { method: 'get', path: '/v1/moderation/bans', tag: 'Moderation', auth: true, summary: 'List bans', responses: { '200': 'Bans' } },
  {
    method: 'post',
    path: '/v1/moderation/bans',
    tag: 'Moderation',
    auth: true,
    summary: 'Ban an email, IP or word',
    body: ['BanRequest', BanRequest],
    responses: { '201': 'The ban' },
  },
  {
    method: 'delete',
    path: '/v1/moderation/bans/{id}',
    tag: 'Moderation',
    auth: true,
    summary: 'Lift a ban',
    responses: { '204': 'Lifted', '404': 'not_found' },
  },
  {
    method: 'post',
    path: '/v1/moderation/undo',
    tag: 'Moderation',
    auth: true,
    summary: 'Undo decisions by their eventId(s), within 15 minutes',
    body: ['UndoRequest', UndoRequest],
    responses: {
      '200': '`{"undone": n, "comments": [{"id", "status", "eventId"}]}`',
      '404': 'not_found',
      '409': 'conflict (window passed, undone already, or decided again)',
    },
  },
  {
    method: 'post',
    path: '/v1/moderation/comments/{id}/undo',
    tag: 'Moderation',
    auth: true,
    summary: 'Undo the latest decision on a comment, within 15 minutes',
    responses: { '200': '`{"id", "status", "eventId", "undoOf"}`', '404': 'comment_not_found', '409': 'conflict' },
  },
  {
    method: 'post',
    path: '/v1/moderation/threads/close',
    tag: 'Moderation',
    auth: true,
    summary: 'Close or reopen a thread for new comments',
    body: ['ThreadCloseRequest', ThreadCloseRequest],
    responses: { '200': '`{"site", "key", "closed"}`', '404': 'not_found' },
  },

  {
    method: 'post',
    path: '/v1/admin/sites',
    tag: 'Administration',
    auth: true,
    summary: 'Create a site (admin key)',
    body: ['CreateSiteRequest', CreateSiteRequest],
    responses: { '201': 'The site', '400': 'invalid_request', '409': 'conflict (id taken)' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites',
    tag: 'Administration',
    auth: true,
    summary: 'List the sites the key may see',
    responses: { '200': '`{"sites": [...]}`' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}',
    tag: 'Administration',
    auth: true,
    summary: 'A site',
    responses: { '200': 'The site', '404': 'site_not_found' },
  },
  {
    method: 'patch',
    path: '/v1/admin/sites/{id}',
    tag: 'Administration',
    auth: true,
    summary: 'Change a site (settings merge)',
    body: ['UpdateSiteRequest', UpdateSiteRequest],
    responses: { '200': 'The site', '404': 'site_not_found' },
  },
  {
    method: 'delete',
    path: '/v1/admin/sites/{id}',
    tag: 'Administration',
    auth: true,
    summary: 'Delete a site and everything in it',
    responses: { '204': 'Deleted', '404': 'site_not_found' },
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/keys',
    tag: 'Administration',
    auth: true,
    summary: 'Create an owner or moderator key (shown once)',
    body: ['CreateKeyRequest', CreateKeyRequest],
    responses: { '201': '`{"id", "key"}`' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/keys',
    tag: 'Administration',
    auth: true,
    summary: "List a site's keys (never the secret)",
    responses: { '200': '`{"keys": [...]}`' },
  },
  {
    method: 'delete',
    path: '/v1/admin/keys/{keyId}',
    tag: 'Administration',
    auth: true,
    summary: 'Revoke a key',
    responses: { '204': 'Revoked', '404': 'not_found' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/stats',
    tag: 'Administration',
    auth: true,
    summary: 'Comments by status, moderation figures and queue counts',
    description:
      'With `from`, `to` (ISO 8601) and `bucket` (`hour` or `day`, UTC) the answer adds `"series": [{"t", "approved", "held", "spam", "rejected", "overrides", "falsePositives", "falseNegatives", "filteredSpam"}]` (comments written per bucket by their status now; decisions that overturned the spam stage), `"heldAges"` (the held queue by age) and `"topReasons"` (the checks that most often held or filed comments as spam).',
    query: StatsQuery,
    responses: {
      '200':
        '`{"comments": {...}, "moderation": {"oldestPendingAgeSeconds", "medianTimeToDecisionSeconds", "overturned": {"approvedAfterSpam", "spamAfterApprove"}, "decisionsLast30Days"}, "queue": {...}}`',
    },
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/webhooks',
    tag: 'Administration',
    auth: true,
    summary: 'Add a webhook (Standard Webhooks signatures)',
    description: 'Body: `{"url", "events": ["comment.approved", …]}`.',
    responses: { '201': '`{"id", "secret"}`' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/webhooks',
    tag: 'Administration',
    auth: true,
    summary: "List a site's webhooks",
    responses: { '200': 'Webhooks' },
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/{id}',
    tag: 'Administration',
    auth: true,
    summary: 'A webhook',
    responses: { '200': 'The webhook (never the secret)', '404': 'not_found' },
  },
  {
    method: 'patch',
    path: '/v1/admin/webhooks/{id}',
    tag: 'Administration',
    auth: true,
    summary: 'Change a webhook',
    description: 'Body (every field optional): `{"url", "events", "enabled"}`.',
    responses: { '200': 'The webhook' },
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/{id}/enable',
    tag: 'Administration',
    auth: true,
    summary: 'Enable a webhook that was disabled after failures',
    responses: { '200': 'The webhook' },
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/{id}/rotate-secret',
    tag: 'Administration',
    auth: true,
    summary: "Rotate a webhook's signing secret",
    responses: { '200': '`{"secret"}` (shown once)' },
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/{id}/deliveries',
    tag: 'Administration',
    auth: true,
    summary: 'Recent deliveries and their outcome',
    responses: { '200': 'Deliveries' },
  },
  { method: 'delete', path: '/v1/admin/webhooks/{id}', tag: 'Administration', auth: true, summary: 'Remove a webhook', responses: { '204': 'Removed' } },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/identity-providers',
    tag: 'Administration',
    auth: true,
    summary: 'Add an OpenID Connect sign-in provider for commenters',
    description:
      'Body: `{"name", "issuer", "clientId", "clientSecret", "scopes"?}`; the issuer\'s discovery document is read first (400 with the reason when it cannot be).',
    responses: { '201': '`{"id", "name"}`', '400': 'invalid_request' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/identity-providers',
    tag: 'Administration',
    auth: true,
    summary: "List a site's sign-in providers (never the secret)",
    responses: { '200': 'Providers' },
  },
  {
    method: 'delete',
    path: '/v1/admin/sites/{id}/identity-providers/{providerId}',
    tag: 'Administration',
    auth: true,
    summary: 'Remove a sign-in provider',
    responses: { '204': 'Removed' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/auth/{providerId}/start',
    tag: 'Public reads',
    summary: "Start a commenter's sign-in (302 to the provider; code flow with PKCE)",
    description: "Query: `return`, a URL on one of the site's origins.",
    responses: { '302': 'To the provider', '400': 'invalid_request' },
  },
  {
    method: 'get',
    path: '/v1/auth/callback',
    tag: 'Public reads',
    summary: 'Finish a sign-in; hands the page a short-lived commenter token',
    responses: { '302': 'Back to the page' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/auth/providers',
    tag: 'Public reads',
    summary: "The site's sign-in providers, for the widget's buttons",
    responses: { '200': '`{"providers": [{"id", "name", "icon"}]}`', '404': 'site_not_found' },
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/identities/erase',
    tag: 'Administration',
    auth: true,
    summary: 'Erase a signed-in commenter\'s data (their comments read "[deleted]")',
    description: 'Body: `{"issuer", "subject"}`.',
    responses: { '200': '`{"erased": n}`' },
  },
  {
    method: 'post',
    path: '/v1/sites/{siteId}/email-verifications',
    tag: 'Public writes (ingest)',
    summary: "Send a one-time link that verifies a commenter's email",
    body: ['EmailVerificationRequest', EmailVerificationRequest],
    responses: { '202': 'Sent (when mail is configured)', '400': 'invalid_request', '429': 'rate_limited' },
  },
  {
    method: 'get',
    path: '/v1/email-verifications/{token}',
    tag: 'Public reads',
    summary: 'Open a verification link: works once, until it expires',
    produces: ['text/html'],
    responses: { '200': 'Verified', '400': 'Used or expired' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/authors',
    tag: 'Administration',
    auth: true,
    summary: "Export an author's data by email (GDPR access)",
    query: AuthorQuery,
    responses: { '200': "The author's comments, with email" },
  },
  {
    method: 'delete',
    path: '/v1/admin/sites/{id}/authors',
    tag: 'Administration',
    auth: true,
    summary: 'Erase an author\'s data by email (GDPR erasure): name and body become "[gelöscht]", email, URL and IP hash are cleared',
    query: AuthorQuery,
    responses: { '200': '`{"erased": n}`' },
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/export',
    tag: 'Administration',
    auth: true,
    summary: 'Export every comment of a site, every status',
    description:
      'NDJSON, one comment per line (lines have the shape of the `NdjsonComment` schema, plus id, score, reasons); `?format=wxr` gives WordPress WXR 1.2. Streamed.',
    query: ExportQuery,
    produces: ['application/x-ndjson', 'application/xml'],
    responses: { '200': 'The file', '404': 'site_not_found' },
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/import',
    tag: 'Administration',
    auth: true,
    summary: 'Import a WordPress WXR, Disqus or NDJSON file',
    description:
      'The file is the body (up to 1 GiB, streamed), imported in one transaction. Counts every comment in the file, whatever its status. Threads (keyed by the post link: path, plus the query for plain `?p=N` permalinks; see `threadKey`), nesting, authors, dates and approval state are kept; bodies are re-sanitized; importing the same file twice adds nothing. An entry that cannot be imported is skipped and listed in `skippedEntries` with its line, element, source id and reason (`strict=true`: the whole file is refused instead). A file that is not well-formed is a 400 naming the line and element, and nothing of it is kept. Comments of password-protected, private or draft WordPress posts arrive held (pending), never published; WordPress editorial notes are skipped; pingbacks and trackbacks follow `types`. `dryRun=true` answers the same without writing (`"dryRun": true`).',
    query: ImportQuery,
    fileBody: { types: ['application/xml', 'text/xml', 'application/x-ndjson'], description: 'WXR or Disqus XML, or NDJSON lines of `NdjsonComment`' },
    responses: {
      '200':
        '`{"imported": n, "skipped": n, "skippedEntries": [{"line", "element", "sourceId", "reason"}]}` (at most 10,000 entries listed; `skippedEntriesNotListed` counts the rest; `"dryRun": true` on a dry run)',
      '400': 'invalid_request: a bad option, a file that is not well-formed, or (strict=true) a bad entry, naming the line and element',
      '413': 'payload_too_large',
      '415': 'unsupported_media_type',
    },
  },
];

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // The input side: what a client sends (before defaults and coercion).
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

type Operations = Record<string, Record<string, unknown>>;

/** The table's operations that `isDeclared` does not know, and the schemas they refer to. */
export function undeclaredTableOperations(isDeclared: (method: string, path: string) => boolean) {
  const schemas: Record<string, Record<string, unknown>> = {
    SiteSettings: jsonSchema(SiteSettings),
    NdjsonComment: jsonSchema(NdjsonComment),
  };
  const paths: Operations = {};
  for (const route of ROUTES) {
    if (isDeclared(route.method, route.path)) continue;
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.query) {
      const query = jsonSchema(route.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    let requestBody: unknown;
    if (route.body) {
      const [name, schema] = route.body;
      schemas[name] = jsonSchema(schema);
      requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    } else if (route.fileBody) {
      requestBody = {
        required: true,
        description: route.fileBody.description,
        content: Object.fromEntries(route.fileBody.types.map((t) => [t, { schema: { type: 'string' } }])),
      };
    }
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, description]) => {
        const content =
          Number(status) >= 400
            ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
            : route.produces && status === '200'
              ? Object.fromEntries(route.produces.map((t) => [t, {}]))
              : undefined;
        return [status, { description, ...(content && { content }) }];
      }),
    );
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      tags: [route.tag],
      summary: route.summary,
      ...(route.description && { description: route.description }),
      operationId: operationIdOf(route.method, route.path),
      ...(route.auth && { security: [{ bearerKey: [] }] }),
      ...(parameters.length > 0 && { parameters }),
      ...(requestBody !== undefined && { requestBody }),
      responses,
    };
  }
  return { paths, schemas };
}
