import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Json, Timestamp } from './columns.js';

// Sites, their settings and the API keys that act on them.

export type ModerationMode = 'auto' | 'pre' | 'post';
export type KeyRole = 'admin' | 'owner' | 'moderator';

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

export interface SiteTable {
  id: string;
  name: string;
  origins: Json<string[]>;
  moderation: ModerationMode;
  settings: Json<SiteSettings>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type Site = Selectable<SiteTable>;
export type NewSite = Insertable<SiteTable>;
export type SiteUpdate = Updateable<SiteTable>;

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

export type ApiKey = Selectable<ApiKeyTable>;
