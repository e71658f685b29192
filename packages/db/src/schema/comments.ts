import type { Generated, Insertable, Selectable } from 'kysely';
import type { Json, Timestamp } from './columns.js';

// Threads, their comments and what readers do with them (votes, edits, reports).

export type CommentStatus = 'approved' | 'pending' | 'spam' | 'rejected';

export interface SpamReason {
  check: string;
  weight: number;
  detail: string;
}

export interface ThreadTable {
  id: Generated<string>;
  siteId: string;
  key: string;
  title: string | null;
  url: string | null;
  closed: Generated<boolean>;
  createdAt: Generated<Date>;
  /** Approved comments in the thread, kept by triggers on comments. */
  approvedCount: Generated<number>;
}

export type Thread = Selectable<ThreadTable>;

export interface CommentTable {
  id: string;
  siteId: string;
  threadId: string;
  parentId: string | null;
  /** The top-level comment this one hangs under (itself for top-level ones): one query fetches a page's replies. */
  rootId: string;
  depth: number;
  authorName: string;
  authorEmail: string | null;
  authorUrl: string | null;
  /** Keyed hash (HMAC) of the client IP: enough for bans and bursts, useless to a thief. */
  authorIpHash: string | null;
  authorIdentity: Json<{ provider: string; subject: string; issuer: string } | null> | null;
  body: string;
  bodyHash: string;
  html: string;
  status: CommentStatus;
  score: number;
  reasons: Json<SpamReason[]>;
  reportCount: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Generated<Date>;
  decidedAt: Timestamp | null;
  /** Vote counters, kept with each vote (repositories/votes.ts). */
  votesUp: Generated<number>;
  votesDown: Generated<number>;
  /** Set while a moderator has the comment pinned to the top of its thread. */
  pinnedAt: Timestamp | null;
  /** When its writer last changed the text. */
  editedAt: Timestamp | null;
  /** When its writer deleted it; a deleted comment with replies shows as deleted. */
  deletedAt: Timestamp | null;
}

export type Comment = Selectable<CommentTable>;
export type NewComment = Insertable<CommentTable>;

export interface CommentVoteTable {
  commentId: string;
  voter: string;
  value: number;
  createdAt: Generated<Date>;
}

export interface CommentVersionTable {
  id: Generated<string>;
  commentId: string;
  body: string;
  html: string;
  editedAt: Generated<Date>;
}

export interface ReportTable {
  id: Generated<string>;
  siteId: string;
  commentId: string;
  reason: 'spam' | 'abuse' | 'off_topic' | 'other';
  note: string | null;
  reporterIpHash: string | null;
  createdAt: Generated<Date>;
}
