import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Keyed hashes a reader holds or sees: the edit token of their comment, their
 * voter token, and the public key of their avatar. Each is an HMAC under the
 * services' shared secret with its own label, so one can never stand in for
 * another, and none reveals what it was made from (an avatar key is not the
 * plain hash of an email that anyone could compute and look up).
 */

function mac(secret: string, label: string, value: string): string {
  return createHmac('sha256', secret).update(`${label}\u0000${value}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The secret in a 202 answer that lets a comment's writer edit or delete it. Derived, so nothing is stored and a retried POST gets the same one. */
export function editTokenFor(commentId: string, secret: string): string {
  return `et_${mac(secret, 'edit', commentId.toLowerCase())}`;
}

export function isEditTokenFor(token: string, commentId: string, secret: string): boolean {
  return same(token, editTokenFor(commentId, secret));
}

/** A fresh voter token: a random id and its signature, so only tokens this service handed out count. */
export function issueVoterToken(secret: string): string {
  const id = randomBytes(16).toString('base64url');
  return `vt_${id}.${mac(secret, 'voter', id).slice(0, 22)}`;
}

/** The voter id inside a token this service issued, else null. */
export function voterIdOf(token: string, secret: string): string | null {
  const match = /^vt_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const [, id, signature] = match as unknown as [string, string, string];
  return same(signature, mac(secret, 'voter', id).slice(0, 22)) ? id : null;
}

/** The public key of an author's avatar: the same author always gets the same picture, and the key tells nothing about them. */
export function avatarKey(source: string, secret: string): string {
  return createHmac('sha256', secret).update(`avatar\u0000${source}`).digest('hex').slice(0, 32);
}
