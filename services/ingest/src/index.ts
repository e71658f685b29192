// The package's public face: the request schemas, so the api's OpenAPI
// document describes ingest's writes from the very schemas that validate them.
export { CommentParams, NewCommentRequest, NewReportRequest, SiteParams } from './schemas.js';
