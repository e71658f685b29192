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
  /** New comments per minute for the whole site, from all clients together (0 = no cap). */
  siteRateLimitPerMinute?: number;
  maxLinks?: number;
  holdFirstTimeAuthors?: boolean;
  requireEmail?: boolean;
  bannedWords?: string[];
  suspectWords?: string[];
  closeAfterDays?: number;
  locale?: string;
  thresholds?: { hold: number; spam: number };
  /** Addresses told by email when a comment is held for moderation. */
  notifyEmails?: string[];
  /** Reader votes: off, up only (default) or up and down. */
  votes?: 'off' | 'up' | 'updown';
  /** Avatars from Gravatar instead of the locally made ones (default false). */
  gravatar?: boolean;
  /** How long a writer may edit or delete their comment (default 15; 0 = never). */
  editWindowMinutes?: number;
  /** An Akismet-compatible outside check for the uncertain middle; off unless a key is set. */
  akismet?: { key: string; blog?: string };
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
  /** Approved comments in the thread, kept by triggers on comments. */
  approvedCount: Generated<number>;
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

export type WebhookEventType = 'comment.received' | 'comment.approved' | 'comment.held' | 'comment.spam' | 'comment.rejected' | 'comment.reported';

export interface WebhookTable {
  id: Generated<string>;
  siteId: string;
  url: string;
  events: Json<WebhookEventType[]>;
  /** `whsec_<base64>`; kept in clear because every delivery is signed with it. */
  secret: string;
  /** The secret before the last rotation; deliveries are signed with both until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: Timestamp | null;
  enabled: Generated<boolean>;
  disabledReason: string | null;
  disabledAt: Timestamp | null;
  /** Deliveries in a row that failed after every retry; reset by a success. */
  consecutiveFailures: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

export interface WebhookAttempt {
  at: string;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  payload: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  responseCode: number | null;
  lastError: string | null;
  attemptLog: ColumnType<WebhookAttempt[], string | undefined, string>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  deliveredAt: Timestamp | null;
}

export type EmailSubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed';

export interface EmailSubscriberTable {
  id: Generated<string>;
  siteId: string;
  /** Lowercased. */
  email: string;
  status: Generated<EmailSubscriberStatus>;
  /** Random; in the confirm and unsubscribe links. */
  token: string;
  locale: string | null;
  createdAt: Generated<Date>;
  confirmedAt: Timestamp | null;
  unsubscribedAt: Timestamp | null;
}

export interface ReplyWatchTable {
  commentId: string;
  subscriberId: string;
  createdAt: Generated<Date>;
}

export interface IdentityProviderTable {
  id: Generated<string>;
  siteId: string;
  name: string;
  /** 'google' | 'github' | 'wordpress' | 'microsoft' when made from a preset. */
  preset: string | null;
  protocol: 'oidc' | 'oauth2';
  issuer: string;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  clientId: string;
  /** Encrypted (AES-256-GCM with IDENTITY_SECRET_KEY); never returned. */
  clientSecretEnc: string;
  scopes: Json<string[]>;
  icon: string | null;
  createdAt: Generated<Date>;
}

export interface EmailVerificationTable {
  id: Generated<string>;
  siteId: string;
  email: string;
  tokenHash: string;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  createdAt: Generated<Date>;
}

export interface VerifiedEmailTable {
  siteId: string;
  email: string;
  verifiedAt: Generated<Date>;
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

export interface Database {
  sites: SiteTable;
  apiKeys: ApiKeyTable;
  threads: ThreadTable;
  comments: CommentTable;
  commentVotes: CommentVoteTable;
  commentVersions: CommentVersionTable;
  moderationEvents: ModerationEventTable;
  bans: BanTable;
  reports: ReportTable;
  spamModels: SpamModelTable;
  spamTokenCounts: SpamTokenCountTable;
  spamSignals: SpamSignalTable;
  webhooks: WebhookTable;
  webhookDeliveries: WebhookDeliveryTable;
  emailSubscribers: EmailSubscriberTable;
  replyWatches: ReplyWatchTable;
  identityProviders: IdentityProviderTable;
  emailVerifications: EmailVerificationTable;
  verifiedEmails: VerifiedEmailTable;
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
export type Webhook = Selectable<WebhookTable>;
export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
export type EmailSubscriber = Selectable<EmailSubscriberTable>;
export type IdentityProvider = Selectable<IdentityProviderTable>;
