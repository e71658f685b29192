import { routeBuilders, TAGS } from './openapi.js';
import {
  CommentParams,
  EditRequest,
  NewCommentRequest,
  NewReportRequest,
  SiteParams,
  VoteRequest,
} from './requests.js';

/**
 * The public writes, served by ingest: declared here, next to their request
 * schemas, so ingest serves them (`app.openapi(route, handler)`) and the api
 * lists them in `/openapi.json` under the ingest server without importing ingest.
 * Ingest guards the body (413/415/400 invalid_json) with its own middleware before these schemas,
 * so they are declared without a body guard.
 */
const writes = routeBuilders().routes(TAGS.writes);

/** Editing and deleting are authorised alike: the edit token or the signed-in author, within the edit window. */
const OWN_COMMENT_ANSWERS = {
  403: 'forbidden (wrong token)',
  404: 'comment_not_found',
  409: 'edit_window_closed',
};

export const postCommentRoute = writes.post('/v1/sites/{siteId}/comments', 'Write a comment', {
  description:
    'Answers 202 once the comment is durably queued. Optional `Idempotency-Key` header (≤ 100 chars): a retry with the same key within 24 h returns the first answer. With `Authorization: Bearer <commenter token>` the author is the verified identity.',
  params: SiteParams,
  body: { NewCommentRequest },
  answers: {
    202: '`{"id": "<uuid v7>", "status": "pending", "editToken"}`: keep the editToken to edit or delete the comment',
    400: 'invalid_json or invalid_request',
    401: 'invalid_token',
    403: 'origin_not_allowed',
    404: 'site_not_found',
    409: 'thread_closed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited (with Retry-After)',
    503: 'unavailable (with Retry-After)',
  },
});

export const editCommentRoute = writes.patch(
  '/v1/sites/{siteId}/comments/{id}',
  "Edit one's own comment within the edit window",
  {
    description:
      "Authorised by `X-Edit-Token: <editToken>` (from the 202 answer) or the signed-in author's `Authorization: Bearer <commenter token>`, within `settings.editWindowMinutes` (default 15; 0 = off). The new text goes through the spam checks again; the read API then shows `editedAt`, moderators see earlier versions.",
    params: CommentParams,
    body: { EditRequest },
    answers: {
      202: '`{"id", "status": "pending"}`',
      400: 'invalid_request',
      ...OWN_COMMENT_ANSWERS,
      429: 'rate_limited',
    },
  },
);

export const deleteCommentRoute = writes.delete(
  '/v1/sites/{siteId}/comments/{id}',
  "Delete one's own comment within the edit window",
  {
    description:
      'Authorised like PATCH. The comment leaves the public thread; one with replies shows as deleted and its replies stay.',
    params: CommentParams,
    answers: { 204: 'Deleted', ...OWN_COMMENT_ANSWERS },
  },
);

export const voteRoute = writes.post('/v1/sites/{siteId}/comments/{id}/votes', 'Vote on a published comment', {
  description:
    'One vote per reader and comment: a signed-in reader (`Authorization: Bearer <commenter token>`) by identity, others by the voter token sent in `X-Voter-Token`; a reader without one gets a new token in the `X-Voter-Token` answer header (and as `voterToken`), a few per address and minute. `0` takes the vote back.',
  params: CommentParams,
  body: { VoteRequest },
  answers: {
    200: '`{"up": n, "down": n}` (plus `voterToken` when a new one was handed out)',
    400: 'invalid_request (e.g. -1 where the site takes up-votes only)',
    401: 'invalid_token',
    403: 'votes_disabled',
    404: 'comment_not_found',
    429: 'rate_limited',
  },
});

export const reportRoute = writes.post('/v1/sites/{siteId}/comments/{id}/reports', 'Report an approved comment', {
  params: CommentParams,
  body: { NewReportRequest },
  answers: {
    202: 'Accepted',
    400: 'invalid_request',
    404: 'site_not_found or comment_not_found (no such comment on this site)',
    429: 'rate_limited (with Retry-After)',
    503: 'unavailable (with Retry-After)',
  },
});

/** Every route ingest serves for the public (its ops routes aside), for the api's document. */
export const INGEST_ROUTES = [postCommentRoute, editCommentRoute, deleteCommentRoute, voteRoute, reportRoute];
