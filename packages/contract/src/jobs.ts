import { z } from 'zod';

/**
 * The jobs on the comments queue, from ingest to worker. Producer and
 * consumer share these schemas: ingest adds jobs only through the typed
 * `enqueue…` functions, the worker reads every job with `readJob`, and a
 * job that does not parse is unrecoverable.
 */

/**
 * The comment as the reader wrote it: the one shape it keeps from the
 * request (requests.ts, which validates it strictly) through the job to the
 * worker. Loose here on purpose: a job is already validated once.
 */
const WrittenComment = {
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
  renderedAt: z.number().nullish(),
  /** The author ticked "email me about replies" (needs an email; confirmed by double opt-in). */
  notify: z.boolean().nullish(),
};

/** A verified commenter identity, when the comment came with a valid commenter token. */
export const CommenterIdentity = z.object({
  provider: z.string(),
  issuer: z.string(),
  subject: z.string(),
  name: z.string(),
  url: z.string().nullish(),
});
export type CommenterIdentity = z.infer<typeof CommenterIdentity>;

/**
 * What ingest adds to everything a reader sends through the queue: the job's
 * id, the site, when it accepted it (ms since epoch; a comment's createdAt)
 * and from which hashed IP.
 */
const AcceptedByIngest = {
  id: z.string().uuid(),
  siteId: z.string().min(1),
  receivedAt: z.number(),
  ipHash: z.string().nullish(),
};

/** What ingest accepted, plus what only ingest knows (when, from which hashed IP, who signed in). */
export const CommentJob = z.object({
  ...AcceptedByIngest,
  ...WrittenComment,
  honeypot: z.string().nullish(),
  userAgent: z.string().nullish(),
  identity: CommenterIdentity.nullish(),
});
export type CommentJob = z.infer<typeof CommentJob>;

/** A reader's report of an approved comment; rides the same queue so ingest stays Redis-only. */
export const ReportJob = z.object({
  ...AcceptedByIngest,
  commentId: z.string().uuid(),
  reason: z.enum(['spam', 'abuse', 'off_topic', 'other']),
  note: z.string().nullish(),
});
export type ReportJob = z.infer<typeof ReportJob>;

/**
 * A writer's edit of their own comment: the worker runs the new text through
 * the spam checks again before it replaces the old one.
 */
export const EditJob = z.object({
  commentId: z.string().uuid(),
  siteId: z.string().min(1),
  body: z.string().min(1),
  /** When ingest accepted the edit (ms since epoch); becomes the comment's editedAt. */
  editedAt: z.number(),
  ipHash: z.string().nullish(),
});
export type EditJob = z.infer<typeof EditJob>;

const JOB_SCHEMAS = { comment: CommentJob, report: ReportJob, edit: EditJob } as const;
export type JobKind = keyof typeof JOB_SCHEMAS;
/** The payload of each job kind. */
export type JobOf<K extends JobKind> = z.infer<(typeof JOB_SCHEMAS)[K]>;

/** The BullMQ job name of each kind on the comments queue. */
export const JOB_NAMES = { comment: 'comment', report: 'report', edit: 'comment.edit' } as const satisfies Record<
  JobKind,
  string
>;
const KIND_OF_NAME = new Map<string, JobKind>(Object.entries(JOB_NAMES).map(([kind, name]) => [name, kind as JobKind]));

/** Retries with exponential backoff: 1 s, 2 s, 4 s … capped by BullMQ at 'attempts'; about a day in total, so a Postgres outage drains instead of dropping. */
export const COMMENT_JOB_OPTIONS = {
  attempts: 25,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** What the enqueue functions need of a producer (the queue package's batching producer is one). */
export interface JobProducer {
  add(name: string, data: unknown, opts: typeof COMMENT_JOB_OPTIONS & { jobId: string }): Promise<void>;
}

function enqueue<K extends JobKind>(producer: JobProducer, kind: K, job: JobOf<K>, jobId: string): Promise<void> {
  return producer.add(JOB_NAMES[kind], job, { ...COMMENT_JOB_OPTIONS, jobId });
}

/** A new comment; the job id is the comment id, so a retried request adds nothing new. */
export function enqueueComment(producer: JobProducer, job: CommentJob): Promise<void> {
  return enqueue(producer, 'comment', job, job.id);
}

export function enqueueReport(producer: JobProducer, job: ReportJob): Promise<void> {
  return enqueue(producer, 'report', job, job.id);
}

export function enqueueEdit(producer: JobProducer, job: EditJob): Promise<void> {
  return enqueue(producer, 'edit', job, `edit-${job.commentId}-${job.editedAt}`);
}

/** A job read from the comments queue, by kind. */
export type ReadJob = { [K in JobKind]: { kind: K; data: JobOf<K> } }[JobKind];

/** The job does not match its schema: it never will, so it must not be retried. */
export class MalformedJobError extends Error {
  override name = 'MalformedJobError';
}

/** Parses a job by its name; unknown names are comments (the oldest producers named nothing else). */
export function readJob(job: { name: string; data: unknown }): ReadJob {
  const kind = KIND_OF_NAME.get(job.name) ?? 'comment';
  const parsed = JOB_SCHEMAS[kind].safeParse(job.data);
  if (!parsed.success) throw new MalformedJobError(`malformed ${kind} job: ${parsed.error.message}`);
  return { kind, data: parsed.data } as ReadJob;
}
