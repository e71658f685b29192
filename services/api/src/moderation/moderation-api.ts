import { TAGS } from '@stammtisch/contract/http';
import { z } from 'zod';
import { keyRoutes } from '../shared/routes.js';

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

// A route about one comment or ban by its `{id}`: the handlers check it themselves (a malformed one is simply not found).
const moderation = keyRoutes(TAGS.moderation);

export const queueRoute = moderation.get('/v1/moderation/queue', 'Comments to review', {
  query: QueueQuery,
  answers: { 200: '`{"items": [...], "nextCursor"}`', 401: 'unauthorized', 403: 'forbidden' },
});

export const eventsRoute = moderation.get('/v1/moderation/events', "Moderators' live stream (Server-Sent Events)", {
  description:
    '`event: held` with a queue item when the spam stage holds a comment; `event: decided` with `{"id", "status", "by"}` when anyone decides one. Authorised like the queue (Bearer key or the page\'s session); served by any api process (Redis pub/sub).',
  query: ModerationEventsQuery,
  answers: { 200: 'An event stream', 401: 'unauthorized' },
  produces: ['text/event-stream'],
});

export const decisionRoute = moderation.post(
  '/v1/moderation/comments/{id}/decision',
  'Approve, reject or mark one comment as spam',
  { body: { DecisionRequest }, answers: { 200: '`{"id", "status"}`', 404: 'comment_not_found' } },
);

export const bulkDecisionRoute = moderation.post('/v1/moderation/decisions', 'Decide up to 500 comments at once', {
  body: { BulkDecisionRequest },
  answers: { 200: '`{"updated": n}`' },
});

export const auditRoute = moderation.get('/v1/moderation/audit', 'Who did what, when, from which status to which', {
  query: AuditQuery,
  answers: { 200: 'Audit entries' },
});

export const listBansRoute = moderation.get('/v1/moderation/bans', 'List bans', {
  query: BansQuery,
  answers: { 200: 'Bans' },
});

export const createBanRoute = moderation.post('/v1/moderation/bans', 'Ban an email, IP or word', {
  body: { BanRequest },
  answers: { 201: 'The ban' },
});

export const deleteBanRoute = moderation.delete('/v1/moderation/bans/{id}', 'Lift a ban', {
  answers: { 204: 'Lifted', 404: 'not_found' },
});

export const undoRoute = moderation.post(
  '/v1/moderation/undo',
  'Undo decisions by their eventId(s), within 15 minutes',
  {
    body: { UndoRequest },
    answers: {
      200: '`{"undone": n, "comments": [{"id", "status", "eventId"}]}`',
      404: 'not_found',
      409: 'conflict (window passed, undone already, or decided again)',
    },
  },
);

export const undoLatestRoute = moderation.post(
  '/v1/moderation/comments/{id}/undo',
  'Undo the latest decision on a comment, within 15 minutes',
  { answers: { 200: '`{"id", "status", "eventId", "undoOf"}`', 404: 'comment_not_found', 409: 'conflict' } },
);

export const threadCloseRoute = moderation.post(
  '/v1/moderation/threads/close',
  'Close or reopen a thread for new comments',
  { body: { ThreadCloseRequest }, answers: { 200: '`{"site", "key", "closed"}`', 404: 'not_found' } },
);
