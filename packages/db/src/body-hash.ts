import { createHash } from 'node:crypto';
import { normalizeBody } from '@stammtisch/spam';

/**
 * The stored `body_hash` of a comment: SHA-256 of the normalized text, so
 * the same words with other case, spacing or markup count as a duplicate.
 * Every writer (new comments, edits) must use this one formula.
 */
export function commentBodyHash(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('base64url');
}
