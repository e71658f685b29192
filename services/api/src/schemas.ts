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
    notifyEmails: z
      .array(z.string().trim().toLowerCase().email('must be an email address'))
      .max(20, 'at most 20 addresses'),
    /** Reader votes: off, up-votes only (default) or up and down. */
    votes: z.enum(['off', 'up', 'updown']),
    /** Avatars from Gravatar (the reader's browser asks gravatar.com); default false: made locally. */
    gravatar: z.boolean(),
    /** Minutes a writer may edit or delete their comment (default 15; 0 = not at all). */
    editWindowMinutes: z.number().int().min(0).max(10_080),
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

export const SiteId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit',
  );

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

const IsoInstant = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time')
  .transform((s) => new Date(s));
/** At most this many buckets per answer (a quarter of a year by the hour). */
export const MAX_STATS_BUCKETS = 2400;

/** `GET /v1/admin/sites/{id}/stats`: with from, to and bucket the answer adds the time series. */
export const StatsQuery = z
  .object({ from: IsoInstant.optional(), to: IsoInstant.optional(), bucket: z.enum(['hour', 'day']).optional() })
  .superRefine((q, ctx) => {
    const given = (['from', 'to', 'bucket'] as const).filter((k) => q[k] !== undefined);
    if (given.length === 0) return;
    for (const k of ['from', 'to', 'bucket'] as const)
      if (q[k] === undefined)
        ctx.addIssue({ code: 'custom', path: [k], message: 'is required with from, to and bucket' });
    // Runs even when a field failed its own check (zod 4): only compare real dates.
    if (!(q.from instanceof Date) || !(q.to instanceof Date) || !q.bucket) return;
    if (q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    const buckets = (q.to.getTime() - q.from.getTime()) / (q.bucket === 'hour' ? 3600_000 : 86_400_000);
    if (buckets > MAX_STATS_BUCKETS)
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `the range holds more than ${MAX_STATS_BUCKETS} buckets`,
      });
  });
