import { z } from 'zod';

const words = z.array(z.string().trim().min(1).max(100)).max(1000, 'at most 1000 entries');

/** Site settings; every field optional, unknown fields refused (a typo should not silently do nothing). */
export const SiteSettings = z
  .object({
    rateLimitPerMinute: z.number().int().min(0).max(100_000),
    siteRateLimitPerMinute: z.number().int().min(0).max(1_000_000),
    maxLinks: z.number().int().min(0).max(100),
    holdFirstTimeAuthors: z.boolean(),
    requireEmail: z.boolean(),
    bannedWords: words,
    suspectWords: words,
    closeAfterDays: z.number().int().min(1).max(36_500),
    locale: z.string().min(2).max(35),
    thresholds: z
      .object({ hold: z.number().min(0).max(1), spam: z.number().min(0).max(1) })
      .strict()
      .refine((t) => t.hold <= t.spam, { message: 'hold must not be above spam', path: ['hold'] }),
    /** Moderators told by email when a comment is held (needs SMTP_URL on the worker). */
    notifyEmails: z.array(z.string().trim().toLowerCase().email('must be an email address')).max(20, 'at most 20 addresses'),
    /** Akismet (or a compatible service at the worker's AKISMET_URL) for comments the local checks are unsure about; off without a key. */
    akismet: z
      .object({
        key: z.string().trim().min(8, 'must be an Akismet API key').max(100),
        blog: z.string().url('must be the site front page URL').optional(),
      })
      .strict(),
  })
  .partial()
  .strict();

const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin like https://blog.example (scheme, host, optional port; no path) or "*"');

export const SiteId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit');

export const CreateSiteRequest = z
  .object({
    id: SiteId,
    name: z.string().trim().min(1).max(200),
    origins: z.array(origin).max(100).default([]),
    moderation: z.enum(['auto', 'pre', 'post']).default('auto'),
    settings: SiteSettings.default({}),
  })
  .strict();

export const UpdateSiteRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    origins: z.array(origin).max(100),
    moderation: z.enum(['auto', 'pre', 'post']),
    settings: SiteSettings,
  })
  .partial()
  .strict();

export const CreateKeyRequest = z.object({ role: z.enum(['owner', 'moderator']) }).strict();
