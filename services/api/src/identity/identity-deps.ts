import { AppError, type Logger } from '@stammtisch/http';
import { type DB, type IdentityProvider, type SiteCache, findIdentityProvider } from '@stammtisch/db';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ConfigurationCache } from './providers.js';
import type { SecretBox } from './secret-box.js';

export interface MailToSend {
  to: string;
  subject: string;
  text: string;
}

export interface IdentityRoutesDeps {
  db: DB;
  siteCache: SiteCache;
  redis: Redis;
  redisPrefix: string;
  secretBox: SecretBox;
  /** COMMENTER_TOKEN_SECRET, shared with ingest. */
  tokenSecret: string;
  configurations: ConfigurationCache;
  /** Where the provider sends the reader back; defaults to the request's own origin. */
  publicApiUrl?: string;
  /** Sends the verification mail; unset: email verification answers 503. */
  sendMail?: (mail: MailToSend) => Promise<void>;
  ipHashSecret: string;
  trustProxy?: boolean;
  logger: Logger;
  /** After an erasure: caches of the site's threads must drop the old names. */
  onErased?: (siteId: string) => Promise<void>;
  /** Lifetime of a commenter token (s), at most an hour. */
  tokenTtlSeconds?: number;
  /** Lifetime of an email verification link (ms). */
  emailLinkTtlMs?: number;
}

/** A provider of this site by id, or `not_found` (also for an id that is not a UUID). */
export async function siteProvider(db: DB, siteId: string, providerId: string): Promise<IdentityProvider> {
  const provider = z.string().uuid().safeParse(providerId).success
    ? await findIdentityProvider(db, providerId, siteId)
    : undefined;
  if (!provider) throw new AppError('not_found', `no identity provider ${providerId} on site ${siteId}`);
  return provider;
}
