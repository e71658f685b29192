import { z } from 'zod';

/**
 * A writer's edit of their own comment, on the comments queue: the worker
 * runs the new text through the spam checks again before it replaces the old
 * one (services/worker/src/processors/comment-edit.ts).
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

export const EDIT_JOB_NAME = 'comment.edit';
