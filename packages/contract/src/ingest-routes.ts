import { responses, TAGS, taggedRoutes } from './openapi.js';
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
 * Ingest checks the body (413/415/400 invalid_json) in its own middleware before these schemas.
 */

// Named once, so the document refers to them by name under components.schemas.
const NewComment = NewCommentRequest.meta({ id: 'NewCommentRequest' });
const Edit = EditRequest.meta({ id: 'EditRequest' });
const Vote = VoteRequest.meta({ id: 'VoteRequest' });
const NewReport = NewReportRequest.meta({ id: 'NewReportRequest' });

const json = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

const declareWrite = taggedRoutes(TAGS.writes);

/** Editing and deleting are authorised alike: the edit token or the signed-in author, within the edit window. */
const OWN_COMMENT_ANSWERS = {
  403: 'forbidden (wrong token)',
  404: 'comment_not_found',
  409: 'edit_window_closed',
};

export const postCommentRoute = declareWrite({
  method: 'post',
  path: '/v1/sites/{siteId}/comments',
  summary: 'Write a comment',
  description:
    'Answers 202 once the comment is durably queued. Optional `Idempotency-Key` header (≤ 100 chars): a retry with the same key within 24 h returns the first answer. With `Authorization: Bearer <commenter token>` the author is the verified identity.',
  request: { params: SiteParams, body: json(NewComment) },
  responses: responses({
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
  }),
});

export const editCommentRoute = declareWrite({
  method: 'patch',
  path: '/v1/sites/{siteId}/comments/{id}',
  summary: "Edit one's own comment within the edit window",
  description:
    "Authorised by `X-Edit-Token: <editToken>` (from the 202 answer) or the signed-in author's `Authorization: Bearer <commenter token>`, within `settings.editWindowMinutes` (default 15; 0 = off). The new text goes through the spam checks again; the read API then shows `editedAt`, moderators see earlier versions.",
  request: { params: CommentParams, body: json(Edit) },
  responses: responses({
    202: '`{"id", "status": "pending"}`',
    400: 'invalid_request',
    ...OWN_COMMENT_ANSWERS,
    429: 'rate_limited',
  }),
});

export const deleteCommentRoute = declareWrite({
  method: 'delete',
  path: '/v1/sites/{siteId}/comments/{id}',
  summary: "Delete one's own comment within the edit window",
  description:
    'Authorised like PATCH. The comment leaves the public thread; one with replies shows as deleted and its replies stay.',
  request: { params: CommentParams },
  responses: responses({
    204: 'Deleted',
    ...OWN_COMMENT_ANSWERS,
  }),
});

export const voteRoute = declareWrite({
  method: 'post',
  path: '/v1/sites/{siteId}/comments/{id}/votes',
  summary: 'Vote on a published comment',
  description:
    'One vote per reader and comment: a signed-in reader (`Authorization: Bearer <commenter token>`) by identity, others by the voter token sent in `X-Voter-Token`; a reader without one gets a new token in the `X-Voter-Token` answer header (and as `voterToken`), a few per address and minute. `0` takes the vote back.',
  request: { params: CommentParams, body: json(Vote) },
  responses: responses({
    200: '`{"up": n, "down": n}` (plus `voterToken` when a new one was handed out)',
    400: 'invalid_request (e.g. -1 where the site takes up-votes only)',
    401: 'invalid_token',
    403: 'votes_disabled',
    404: 'comment_not_found',
    429: 'rate_limited',
  }),
});

export const reportRoute = declareWrite({
  method: 'post',
  path: '/v1/sites/{siteId}/comments/{id}/reports',
  summary: 'Report an approved comment',
  request: { params: CommentParams, body: json(NewReport) },
  responses: responses({
    202: 'Accepted',
    400: 'invalid_request',
    404: 'site_not_found or comment_not_found (no such comment on this site)',
    429: 'rate_limited (with Retry-After)',
    503: 'unavailable (with Retry-After)',
  }),
});

/** Every route ingest serves for the public (its ops routes aside), for the api's document. */
export const INGEST_ROUTES = [postCommentRoute, editCommentRoute, deleteCommentRoute, voteRoute, reportRoute];
