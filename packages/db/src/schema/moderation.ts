import type { Generated, Insertable, Selectable } from 'kysely';
import type { CommentStatus } from './comments.js';

// What moderators decide and what the spam stage learns from it.

export interface ModerationEventTable {
  id: Generated<string>;
  siteId: string;
  commentId: string;
  /** Key id of the moderator; null when the system decided (worker, import). */
  actorKeyId: string | null;
  action: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus;
  note: string | null;
  /** Set on an event that undid another one. */
  undoOf: string | null;
  createdAt: Generated<Date>;
}

export type ModerationEvent = Selectable<ModerationEventTable>;
export type NewModerationEvent = Insertable<ModerationEventTable>;

export interface BanTable {
  id: Generated<string>;
  siteId: string;
  kind: 'email' | 'ip' | 'word' | 'identity';
  value: string;
  shadow: Generated<boolean>;
  createdBy: string | null;
  createdAt: Generated<Date>;
}

export type Ban = Selectable<BanTable>;

export interface SpamModelTable {
  siteId: string;
  spamDocs: Generated<number>;
  hamDocs: Generated<number>;
  /** Bumped on every lesson, so workers can tell their copy is stale. */
  version: Generated<number>;
  updatedAt: Generated<Date>;
}

export interface SpamTokenCountTable {
  siteId: string;
  token: string;
  spam: Generated<number>;
  ham: Generated<number>;
}

/** A campaign signal of a comment moderators marked spam (hashes and fingerprints only; see the migration). */
export interface SpamSignalTable {
  commentId: string;
  siteId: string;
  /** 'text' | 'domain' | 'email' | 'ip' */
  kind: string;
  value: string;
  /** For 'text': the whole MinHash, to verify a band match. */
  fingerprint: string | null;
  createdAt: Generated<Date>;
}
