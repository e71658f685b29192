// The gate lives in @stammtisch/comments so the api's imports share it; kept here
// so the worker's imports (and its tests) read as before.
export { renderCommentHtml, sanitizeCommentHtml } from '@stammtisch/comments';
