import { z } from 'zod';

/** The queue every accepted comment goes through, from ingest to worker. */
export const COMMENTS_QUEUE = 'comments';

/**
 * The job payload: what ingest accepted, plus what only ingest knows (when,
 * from which hashed IP). Producer and consumer share this one schema; the
 * worker parses every job with it and treats a malformed one as unrecoverable.
 */
export const CommentJob = z.object({
  id: z.string().uuid(),
  siteId: z.string().min(1),
  thread: z.object({
    key: z.string().min(1),
    url: z.string().nullish(),
    title: z.string().nullish(),
  }),
  parentId: z.string().uuid().nullish(),
  author: z.object({
    name: z.string().min(1),
    email: z.string().nullish(),
    url: z.string().nullish(),
  }),
  body: z.string().min(1),
  honeypot: z.string().nullish(),
  renderedAt: z.number().nullish(),
  /** When ingest accepted it (ms since epoch); becomes the comment's createdAt. */
  receivedAt: z.number(),
  ipHash: z.string().nullish(),
  userAgent: z.string().nullish(),
  /** A verified commenter identity, when the comment came with a valid commenter token. */
  identity: z.object({ provider: z.string(), issuer: z.string(), subject: z.string(), name: z.string(), url: z.string().nullish() }).nullish(),
  /** The author ticked "email me about replies" (needs an email; confirmed by double opt-in). */
  notify: z.boolean().nullish(),
});
export type CommentJob = z.infer<typeof CommentJob>;

/** Retries with exponential backoff: 1 s, 2 s, 4 s … capped by BullMQ at 'attempts'; about a day in total, so a Postgres outage drains instead of dropping. */
export const COMMENT_JOB_OPTIONS = {
  attempts: 25,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** A reader's report of an approved comment; rides the same queue so ingest stays Redis-only. */
export const ReportJob = z.object({
  id: z.string().uuid(),
  siteId: z.string().min(1),
  commentId: z.string().uuid(),
  reason: z.enum(['spam', 'abuse', 'off_topic', 'other']),
  note: z.string().nullish(),
  ipHash: z.string().nullish(),
  receivedAt: z.number(),
});
export type ReportJob = z.infer<typeof ReportJob>;

/** Job names on the comments queue. */
export const JOB_NAMES = { comment: 'comment', report: 'report' } as const;
