import { jsonBody } from '@stammtisch/http';
import { errorResponses, fileResponse, jsonRequestBody, keyRoutes, keyRoutesById } from '@stammtisch/contract/http';
import { z } from 'zod';

/** The moderators' API as declared routes: what `/openapi.json` says, and the schemas the requests are checked with. */

export const QueueQuery = z.object({
  site: z.string().max(100).optional(),
  status: z.enum(['pending', 'spam', 'reported', 'rejected', 'approved']).default('pending'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
  thread: z.string().max(512).optional(),
  /** A check name (e.g. `links`, `classifier`, `ban`): only comments whose reasons include it. */
  reason: z.string().trim().min(1).max(50).optional(),
  /** `priority`: most reports first, then the spam stage's least certain calls (score nearest 0.5), then oldest. */
  sort: z.enum(['newest', 'oldest', 'priority']).default('newest'),
});

export const UndoRequest = z
  .object({
    eventId: z.union([z.string(), z.number()]).transform(String).optional(),
    eventIds: z
      .array(z.union([z.string(), z.number()]).transform(String))
      .min(1)
      .max(500)
      .optional(),
  })
  .strict()
  .refine((v) => Boolean(v.eventId) !== Boolean(v.eventIds), { message: 'give eventId or eventIds', path: ['eventId'] })
  .refine((v) => [v.eventId ?? '', ...(v.eventIds ?? [])].every((id) => id === '' || /^[0-9]{1,18}$/.test(id)), {
    message: 'must be an eventId from a decision',
    path: ['eventId'],
  });
export const ThreadCloseRequest = z
  .object({ site: z.string().min(1).max(100), key: z.string().min(1).max(512), closed: z.boolean().default(true) })
  .strict();

export const DecisionRequest = z
  .object({ action: z.enum(['approve', 'reject', 'spam']), note: z.string().trim().max(1000).nullish() })
  .strict();
export const BulkDecisionRequest = z
  .object({
    ids: z.array(z.string().uuid('must be a comment id')).min(1, 'give at least one id').max(500, 'at most 500 ids'),
    action: z.enum(['approve', 'reject', 'spam']),
    note: z.string().trim().max(1000).nullish(),
  })
  .strict();
export const BanRequest = z
  .object({
    site: z.string().min(1).max(100),
    // identity: `issuer|subject` of a signed-in commenter (the queue item's author.identity).
    kind: z.enum(['email', 'ip', 'word', 'identity']),
    value: z.string().trim().min(1).max(320),
    shadow: z.boolean().default(false),
  })
  .strict();

export const AuditQuery = z.object({
  site: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  comment: z.string().uuid().optional(),
});
export const BansQuery = z.object({ site: z.string().max(100).optional() });
export const ModerationEventsQuery = z.object({ site: z.string().max(100).optional() });
const moderationRoute = keyRoutes('Moderation');
/** A route about one comment or ban by its `{id}`, which the handlers check themselves (a malformed one is simply not found). */
const moderationRouteById = keyRoutesById('Moderation');

export const queueRoute = moderationRoute({
  method: 'get',
  path: '/v1/moderation/queue',
  summary: 'Comments to review',
  request: { query: QueueQuery },
  responses: {
    200: { description: '`{"items": [...], "nextCursor"}`' },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden' }),
  },
});

export const eventsRoute = moderationRoute({
  method: 'get',
  path: '/v1/moderation/events',
  summary: "Moderators' live stream (Server-Sent Events)",
  description:
    '`event: held` with a queue item when the spam stage holds a comment; `event: decided` with `{"id", "status", "by"}` when anyone decides one. Authorised like the queue (Bearer key or the page\'s session); served by any api process (Redis pub/sub).',
  request: { query: ModerationEventsQuery },
  responses: {
    200: fileResponse('An event stream', ['text/event-stream']),
    ...errorResponses({ 401: 'unauthorized' }),
  },
});

export const decisionRoute = moderationRouteById({
  method: 'post',
  path: '/v1/moderation/comments/{id}/decision',
  summary: 'Approve, reject or mark one comment as spam',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('DecisionRequest', DecisionRequest) },
  responses: { 200: { description: '`{"id", "status"}`' }, ...errorResponses({ 404: 'comment_not_found' }) },
});

export const bulkDecisionRoute = moderationRoute({
  method: 'post',
  path: '/v1/moderation/decisions',
  summary: 'Decide up to 500 comments at once',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('BulkDecisionRequest', BulkDecisionRequest) },
  responses: { 200: { description: '`{"updated": n}`' } },
});

export const auditRoute = moderationRoute({
  method: 'get',
  path: '/v1/moderation/audit',
  summary: 'Who did what, when, from which status to which',
  request: { query: AuditQuery },
  responses: { 200: { description: 'Audit entries' } },
});

export const listBansRoute = moderationRoute({
  method: 'get',
  path: '/v1/moderation/bans',
  summary: 'List bans',
  request: { query: BansQuery },
  responses: { 200: { description: 'Bans' } },
});

export const createBanRoute = moderationRoute({
  method: 'post',
  path: '/v1/moderation/bans',
  summary: 'Ban an email, IP or word',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('BanRequest', BanRequest) },
  responses: { 201: { description: 'The ban' } },
});

export const deleteBanRoute = moderationRouteById({
  method: 'delete',
  path: '/v1/moderation/bans/{id}',
  summary: 'Lift a ban',
  responses: { 204: { description: 'Lifted' }, ...errorResponses({ 404: 'not_found' }) },
});

export const undoRoute = moderationRoute({
  method: 'post',
  path: '/v1/moderation/undo',
  summary: 'Undo decisions by their eventId(s), within 15 minutes',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('UndoRequest', UndoRequest) },
  responses: {
    200: { description: '`{"undone": n, "comments": [{"id", "status", "eventId"}]}`' },
    ...errorResponses({ 404: 'not_found', 409: 'conflict (window passed, undone already, or decided again)' }),
  },
});

export const undoLatestRoute = moderationRouteById({
  method: 'post',
  path: '/v1/moderation/comments/{id}/undo',
  summary: 'Undo the latest decision on a comment, within 15 minutes',
  responses: {
    200: { description: '`{"id", "status", "eventId", "undoOf"}`' },
    ...errorResponses({ 404: 'comment_not_found', 409: 'conflict' }),
  },
});

export const threadCloseRoute = moderationRoute({
  method: 'post',
  path: '/v1/moderation/threads/close',
  summary: 'Close or reopen a thread for new comments',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('ThreadCloseRequest', ThreadCloseRequest) },
  responses: { 200: { description: '`{"site", "key", "closed"}`' }, ...errorResponses({ 404: 'not_found' }) },
});
