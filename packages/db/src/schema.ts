import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Column names are camelCase here and snake_case in Postgres (CamelCasePlugin). */

export type CommentStatus = 'approved' | 'pending' | 'spam' | 'rejected';
export type ModerationMode = 'auto' | 'pre' | 'post';
export type KeyRole = 'admin' | 'owner' | 'moderator';

export interface SpamReason {
  check: string;
  weight: number;
  detail: string;
}

/** Per-site settings as stored; the api validates them with a zod schema. */
export interface SiteSettings {
  rateLimitPerMinute?: number;
  maxLinks?: number;
  holdFirstTimeAuthors?: boolean;
  requireEmail?: boolean;
  bannedWords?: string[];
  suspectWords?: string[];
  closeAfterDays?: number;
  locale?: string;
  thresholds?: { hold: number; spam: number };
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export interface SiteTable {
  id: string;
  name: string;
  origins: Json<string[]>;
  moderation: ModerationMode;
  settings: Json<SiteSettings>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ApiKeyTable {
  id: string;
  siteId: string | null;
  role: KeyRole;
  keyHash: string;
  /** The first characters of the key, so an owner can tell keys apart. */
  keyPrefix: string;
  createdAt: Generated<Date>;
  revokedAt: Timestamp | null;
  lastUsedAt: Timestamp | null;
}

export interface ThreadTable {
  id: Generated<string>;
  siteId: string;
  key: string;
  title: string | null;
  url: string | null;
  closed: Generated<boolean>;
  createdAt: Generated<Date>;
}

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
}

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

export interface BanTable {
  id: Generated<string>;
  siteId: string;
  kind: 'email' | 'ip' | 'word' | 'identity';
  value: string;
  shadow: Generated<boolean>;
  createdBy: string | null;
  createdAt: Generated<Date>;
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

export interface Database {
  sites: SiteTable;
  apiKeys: ApiKeyTable;
  threads: ThreadTable;
  comments: CommentTable;
  moderationEvents: ModerationEventTable;
  bans: BanTable;
  reports: ReportTable;
  spamModels: SpamModelTable;
  spamTokenCounts: SpamTokenCountTable;
}

export type Site = Selectable<SiteTable>;
export type NewSite = Insertable<SiteTable>;
export type SiteUpdate = Updateable<SiteTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type Thread = Selectable<ThreadTable>;
export type Comment = Selectable<CommentTable>;
export type NewComment = Insertable<CommentTable>;
export type ModerationEvent = Selectable<ModerationEventTable>;
export type Ban = Selectable<BanTable>;
