import { EditRequest, NewCommentRequest, NewReportRequest, VoteRequest } from '@stammtisch/contract';
import { z } from 'zod';
import { NdjsonComment } from '../porting/index.js';
import { ThreadCommentsQuery } from '../reads/public-routes.js';
import { SiteSettings } from '../schemas.js';

/**
 * The OpenAPI 3.1 document, built from the zod schemas the routes validate
 * with (no second, hand-written copy that could drift) plus this table of
 * routes: method, path, summary, and which schema checks the request.
 */

type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteDoc {
  method: Method;
  path: string;
  tag: 'Public writes (ingest)' | 'Public reads' | 'Moderation' | 'Administration' | 'Operations';
  summary: string;
  description?: string;
  /** Served by ingest (PUBLIC_INGEST_URL) rather than the api. */
  ingest?: true;
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

const ops = (description: string) => ({ '200': description, '503': 'Postgres or Redis does not answer' });

const ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/sites/{siteId}/comments',
    tag: 'Public writes (ingest)',
    ingest: true,
    summary: 'Write a comment',
    description:
      'Answers 202 once the comment is durably queued. Optional `Idempotency-Key` header (≤ 100 chars): a retry with the same key within 24 h returns the first answer. With `Authorization: Bearer <commenter token>` the author is the verified identity.',
    body: ['NewCommentRequest', NewCommentRequest],
    responses: {
      '202': '`{"id": "<uuid v7>", "status": "pending", "editToken"}`: keep the editToken to edit or delete the comment',
      '400': 'invalid_json or invalid_request',
      '401': 'invalid_token',
      '403': 'origin_not_allowed',
      '404': 'site_not_found',
      '409': 'thread_closed',
      '413': 'payload_too_large',
      '415': 'unsupported_media_type',
      '429': 'rate_limited (with Retry-After)',
      '503': 'unavailable (with Retry-After)',
    },
  },
  {
    method: 'patch',
    path: '/v1/sites/{siteId}/comments/{id}',
    tag: 'Public writes (ingest)',
    ingest: true,
    summary: "Edit one's own comment within the edit window",
    description:
      "Authorised by `X-Edit-Token: <editToken>` (from the 202 answer) or the signed-in author's `Authorization: Bearer <commenter token>`, within `settings.editWindowMinutes` (default 15; 0 = off). The new text goes through the spam checks again; the read API then shows `editedAt`, moderators see earlier versions.",
    body: ['EditRequest', EditRequest],
    responses: {
      '202': '`{"id", "status": "pending"}`',
      '400': 'invalid_request',
      '403': 'forbidden (wrong token)',
      '404': 'comment_not_found',
      '409': 'edit_window_closed',
      '429': 'rate_limited',
    },
  },
  {
    method: 'delete',
    path: '/v1/sites/{siteId}/comments/{id}',
    tag: 'Public writes (ingest)',
    ingest: true,
    summary: "Delete one's own comment within the edit window",
    description: 'Authorised like PATCH. The comment leaves the public thread; one with replies shows as deleted and its replies stay.',
    responses: { '204': 'Deleted', '403': 'forbidden (wrong token)', '404': 'comment_not_found', '409': 'edit_window_closed' },
  },
  {
    method: 'post',
    path: '/v1/sites/{siteId}/comments/{id}/votes',
    tag: 'Public writes (ingest)',
    ingest: true,
    summary: 'Vote on a published comment',
    description:
      'One vote per reader and comment: a signed-in reader (`Authorization: Bearer <commenter token>`) by identity, others by the voter token sent in `X-Voter-Token`; a reader without one gets a new token in the `X-Voter-Token` answer header (and as `voterToken`), a few per address and minute. `0` takes the vote back.',
    body: ['VoteRequest', VoteRequest],
    responses: {
      '200': '`{"up": n, "down": n}` (plus `voterToken` when a new one was handed out)',
      '400': 'invalid_request (e.g. -1 where the site takes up-votes only)',
      '401': 'invalid_token',
      '403': 'votes_disabled',
      '404': 'comment_not_found',
      '429': 'rate_limited',
    },
  },
  {
    method: 'post',
    path: '/v1/sites/{siteId}/comments/{id}/reports',
    tag: 'Public writes (ingest)',
    ingest: true,
    summary: 'Report an approved comment',
    body: ['NewReportRequest', NewReportRequest],
    responses: {
      '202': 'Accepted',
      '400': 'invalid_request',
      '404': 'site_not_found or comment_not_found (no such comment on this site)',
      '429': 'rate_limited (with Retry-After)',
      '503': 'unavailable (with Retry-After)',
    },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/threads/{threadKey}/comments',
    tag: 'Public reads',
    summary: 'Approved comments of a thread',
    description: '`threadKey` is `encodeURIComponent(key)`. Each top-level comment is followed by its replies. Carries ETag; `If-None-Match` gets 304.',
    query: ThreadCommentsQuery,
    responses: {
      '200': '`{"thread", "comments", "nextCursor"}`',
      '304': 'Not modified',
      '400': 'invalid_request naming `limit`, `sort` or `cursor` (a cursor must come from nextCursor)',
      '404': 'site_not_found',
    },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/threads/{threadKey}/events',
    tag: 'Public reads',
    summary: 'The thread live, as Server-Sent Events',
    description:
      '`event: comment` with a comment as in the thread read (new approvals, edits; `deleted: true` when its writer took it back), `event: count` with `{"count": n}`. Every event has an `id`; reconnecting with `Last-Event-ID` first sends what was missed (up to 10 minutes, 200 comments).',
    produces: ['text/event-stream'],
    responses: { '200': 'An event stream', '404': 'site_not_found' },
  },
  {
    method: 'get',
    path: '/v1/avatars/{file}',
    tag: 'Public reads',
    summary: "An author's avatar (identicon or initials), made locally",
    description: "`{file}` is `<key>.svg`, the key a keyed hash from the comment's `author.avatar`; `?i=` gives initials.",
    produces: ['image/svg+xml'],
    responses: { '200': 'SVG', '404': 'not_found' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/threads/{threadKey}/comments.html',
    tag: 'Public reads',
    summary: 'The thread as a sanitized HTML fragment',
    produces: ['text/html'],
    responses: { '200': 'HTML fragment', '404': 'site_not_found' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/threads/{threadKey}/comments.atom',
    tag: 'Public reads',
    summary: 'The thread as an Atom feed',
    produces: ['application/atom+xml'],
    responses: { '200': 'Atom feed', '404': 'site_not_found' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/counts',
    tag: 'Public reads',
    summary: 'Approved comment counts for up to 100 threads',
    description: 'Query: `thread=KEY` repeated, up to 100 times.',
    responses: { '200': '`{"counts": {"KEY": 3}}`', '400': 'invalid_request', '404': 'site_not_found' },
  },
  {
    method: 'get',
    path: '/v1/sites/{siteId}/comments/{id}',
    tag: 'Public reads',
    summary: "A comment's status (spam reads as pending)",
    responses: { '200': '`{"id", "status"}`', '404': 'comment_not_found' },
  },
  {
    method: 'get',
    path: '/embed.js',
    tag: 'Public reads',
    summary: 'The widget script',
    produces: ['application/javascript'],
    responses: { '200': 'JavaScript' },
  },

  {
    method: 'get',
    path: '/v1/email/confirm',
    tag: 'Public reads',
    summary: 'Confirm reply notifications (double opt-in link from the confirmation mail)',
    description: 'Query: `token`.',
    produces: ['text/html'],
    responses: { '200': 'Confirmed', '400': 'Unknown token' },
  },
  {
    method: 'get',
    path: '/v1/email/unsubscribe',
    tag: 'Public reads',
    summary: 'Stop reply notifications (the link in every mail)',
    description: 'Query: `token`.',
    produces: ['text/html'],
    responses: { '200': 'Unsubscribed' },
  },
  {
    method: 'post',
    path: '/v1/email/unsubscribe',
    tag: 'Public reads',
    summary: 'One-click unsubscribe (RFC 8058, from the List-Unsubscribe-Post header)',
    description: 'Query: `token`.',
    responses: { '200': 'Unsubscribed' },
  },
  { method: 'get', path: '/moderate', tag: 'Moderation', summary: "The moderators' web page", produces: ['text/html'], responses: { '200': 'HTML' } },

  { method: 'get', path: '/healthz', tag: 'Operations', summary: 'Process alive', responses: { '200': 'ok' } },
  { method: 'get', path: '/readyz', tag: 'Operations', summary: 'Postgres and Redis answer', responses: ops('ready') },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    produces: ['text/plain'],
    responses: { '200': 'Prometheus text format' },
  },
  { method: 'get', path: '/openapi.json', tag: 'Operations', summary: 'This document', responses: { '200': 'OpenAPI 3.1' } },
  { method: 'get', path: '/docs', tag: 'Operations', summary: 'This document as a web page', produces: ['text/html'], responses: { '200': 'HTML' } },
];

/** The error body every 4xx/5xx carries (not a request schema, so it lives here). */
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  }),
});

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // The input side: what a client sends (before defaults and coercion).
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export interface OpenApiOptions {
  /** PUBLIC_INGEST_URL: where the public writes go. */
  ingestUrl?: string;
  /** PUBLIC_API_URL; defaults to the document's own origin. */
  apiUrl?: string;
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

export function buildOpenApiDocument(options: OpenApiOptions = {}) {
  const schemas: Record<string, Record<string, unknown>> = {
    Error: jsonSchema(ErrorBody),
    SiteSettings: jsonSchema(SiteSettings),
    NdjsonComment: jsonSchema(NdjsonComment),
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
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
      operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      ...(route.ingest && { servers: [{ url: options.ingestUrl ?? 'http://localhost:8081', description: 'ingest (PUBLIC_INGEST_URL)' }] }),
      ...(route.auth && { security: [{ bearerKey: [] }] }),
      ...(parameters.length > 0 && { parameters }),
      ...(requestBody !== undefined && { requestBody }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stammtisch API',
      version: '1',
      description:
        'An embeddable comment service. Every 4xx/5xx body is `{"error": {"code", "message", "details"?, "requestId"}}`. Built from the zod schemas the routes validate with.',
    },
    servers: [{ url: options.apiUrl ?? '/', description: 'api (PUBLIC_API_URL)' }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: { bearerKey: { type: 'http', scheme: 'bearer', description: 'An admin, owner or moderator key: `Authorization: Bearer <key>`' } },
    },
  };
}
