import { createHash } from 'node:crypto';
import type { PublicCommentRow, Site } from '@stammtisch/db';
import { avatarKey } from '@stammtisch/comments';

/** What turning a row into the public shape needs beyond the row: the site's settings and where avatars are served. */
export interface PublicCommentOptions {
  site: Pick<Site, 'settings'>;
  /** Keys the avatar hash (IP_HASH_SECRET). */
  secret: string;
  /** PUBLIC_API_URL; without it avatar URLs are root-relative and the widget resolves them against the api. */
  publicApiUrl?: string;
}

/** Up to two initials of a name, for the avatar of an author without an email. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]!, words[words.length - 1]!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/**
 * The avatar URL of an author: an identicon keyed by their email (a PNG), or
 * their initials (an SVG); both made by this api (no third-party request). Gravatar only
 * where the site turned it on (then the reader's browser asks Gravatar).
 */
export function avatarUrl(
  row: Pick<PublicCommentRow, 'authorEmail' | 'authorName'>,
  options: PublicCommentOptions,
): string {
  const email = row.authorEmail?.trim().toLowerCase();
  if (email && options.site.settings.gravatar) {
    return `https://www.gravatar.com/avatar/${createHash('sha256').update(email).digest('hex')}?d=identicon&s=80`;
  }
  const base = `${options.publicApiUrl?.replace(/\/$/, '') ?? ''}/v1/avatars/`;
  if (email) return `${base}${avatarKey(`email:${email}`, options.secret)}.png`;
  return `${base}${avatarKey(`name:${row.authorName}`, options.secret)}.svg?i=${encodeURIComponent(initialsOf(row.authorName))}`;
}

/** A public comment as the contract shows it: never email, never IP. */
export function toPublicComment(row: PublicCommentRow, options: PublicCommentOptions) {
  const votes = (options.site.settings.votes ?? 'up') !== 'off';
  if (row.deletedAt) {
    // Its writer deleted it; it stays only as the parent of public replies.
    return {
      id: row.id,
      parentId: row.parentId,
      author: { name: '', url: null },
      html: '',
      createdAt: row.createdAt.toISOString(),
      deleted: true as const,
    };
  }
  return {
    id: row.id,
    parentId: row.parentId,
    author: {
      name: row.authorName,
      url: row.authorUrl,
      ...(row.authorIdentity && { verified: true, provider: row.authorIdentity.provider }),
      avatar: avatarUrl(row, options),
    },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    ...(row.editedAt && { editedAt: row.editedAt.toISOString() }),
    ...(votes && { votes: { up: row.votesUp, down: row.votesDown } }),
    ...(row.pinnedAt && { pinned: true as const }),
  };
}
export type PublicComment = ReturnType<typeof toPublicComment>;
