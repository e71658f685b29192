import { createHash } from 'node:crypto';
import { normalizeBody } from '@stammtisch/spam';

/**
 * The `comments.body_hash` of a body: SHA-256 (base64url) of its normalized
 * text, so the duplicate check matches reposts that differ only in case,
 * punctuation or spacing. One formula for every writer (ingest, import).
 */
export function commentBodyHash(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('base64url');
}
