import { z } from 'zod';

// Postgres text cannot hold U+0000: refuse it at the door with a clear error
// rather than accept a comment that could never be stored.
const noNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, NUL_MESSAGE);

const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/** An optional field a form may send empty: "" reads as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional().nullable(),
  );

export const NewCommentRequest = z.object({
  thread: z.object({
    key: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters').refine(noNul, NUL_MESSAGE),
    url: optional(httpUrl),
    title: optional(text(1, 300)),
  }),
  parentId: z.string().uuid('must be a comment id').nullish(),
  author: z.object({
    name: text(1, 80),
    email: optional(z.string().trim().max(254, 'must be at most 254 characters').email('must be an email address')),
    url: optional(httpUrl),
  }),
  body: text(1, 10_000),
  hp: z.string().max(1000).nullish(),
  renderedAt: z.number().int().nonnegative().max(8.64e15).nullish(),
  /** "Email me when someone replies": needs author.email; the address confirms once (double opt-in). */
  notify: z.boolean().nullish(),
});
export type NewCommentRequest = z.infer<typeof NewCommentRequest>;

export const NewReportRequest = z.object({
  reason: z.enum(['spam', 'abuse', 'off_topic', 'other']),
  note: optional(text(1, 1000)),
});
export type NewReportRequest = z.infer<typeof NewReportRequest>;

export const SiteParams = z.object({ siteId: z.string().min(1).max(100) });
export const CommentParams = SiteParams.extend({ id: z.string().uuid('must be a comment id') });

export const IDEMPOTENCY_KEY_MAX = 100;

/** A reader's vote: 1 up, -1 down (sites with `votes: updown`), 0 takes it back. */
export const VoteRequest = z
  .object({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)], { message: 'must be 1, -1 or 0' }) })
  .strict();
/** The writer's new text of their comment. */
export const EditRequest = z.object({ body: text(1, 10_000) }).strict();
