// The package's public face: the request schemas, so the api's OpenAPI
// document describes ingest's writes from the very schemas that validate them.
export { CommentParams, EditRequest, NewCommentRequest, NewReportRequest, SiteParams, VoteRequest } from './schemas.js';
