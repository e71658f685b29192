import type { CommentJob } from '@stammtisch/contract';
import { type CommentStatus, type NewComment, findCommentStatuses, insertComments } from '@stammtisch/db';
import { type Logger, isUnavailableError } from '@stammtisch/http';
import type { AkismetClient } from '../akismet.js';
import type { Settled } from '../batcher.js';
import { type ContextDeps, loadBatchContexts } from '../context.js';
import { decideComment } from './comment-decision.js';

/** A comment that is stored: what cache invalidation, live streams, webhooks and mail need. */
export interface WrittenComment {
  siteId: string;
  threadKey: string;
  commentId: string;
  status: CommentStatus;
  notify?: boolean;
  isReply?: boolean;
}

export interface CommentProcessorDeps extends ContextDeps {
  logger: Logger;
  /**
   * Called once per batch with every comment whose row this batch wrote (one
   * change event, one bulk enqueue). If it throws, every job of the batch
   * fails and is retried; the retries find their rows and go to onCommentsReplayed.
   */
  onCommentsWritten?: (written: WrittenComment[]) => Promise<void>;
  /** One comment at a time, for callers that have no batch form; used when onCommentsWritten is not given. */
  onCommentWritten?: (written: WrittenComment) => Promise<void>;
  /**
   * Called with the comments whose row was stored already: an earlier run wrote
   * it but may have died (or failed to queue its events) before the events went
   * out. Whatever it queues must be idempotent (event ids derived from the
   * comment id), so nothing goes out twice.
   */
  onCommentsReplayed?: (replayed: WrittenComment[]) => Promise<void>;
  onCommentReplayed?: (replayed: WrittenComment) => Promise<void>;
  /** Where a batch's time goes, stage by stage (the worker's /metrics). */
  observeStage?: (stage: 'context' | 'decide' | 'insert' | 'hooks', seconds: number) => void;
  /** Called after a reader's report is recorded (webhooks). */
  onReported?: (event: { siteId: string; commentId: string; reportId: string }) => Promise<void>;
  /** The Akismet-compatible outside check for sites that set a key (akismet.ts); without it nobody is asked. */
  akismet?: AkismetClient;
}

export type CommentResult = { status: CommentStatus; written: boolean } | null;

/**
 * Decides and stores a batch of accepted comments: one context load, the
 * checks and rendering per comment, one multi-row INSERT … ON CONFLICT (id)
 * DO NOTHING, then the written and replayed hooks once each. A comment that
 * throws (while deciding, or whose row Postgres refuses) fails alone; the
 * others are written once. Safe to run again for any job: the row is keyed
 * by the job's id.
 */
export async function processCommentBatch(
  deps: CommentProcessorDeps,
  jobs: CommentJob[],
): Promise<Settled<CommentResult>[]> {
  try {
    return await decideAndWrite(deps, jobs);
  } catch (error) {
    // Postgres away: the whole batch is retried. Anything else may be one job's data breaking a
    // shared statement (the context query): each job alone, so only the bad one fails.
    if (jobs.length <= 1 || isUnavailableError(error)) throw error;
    deps.logger.warn({ err: error, jobs: jobs.length }, 'batch failed; deciding its comments one by one');
    return Promise.all(
      jobs.map(async (job) => {
        try {
          return (await decideAndWrite(deps, [job]))[0]!;
        } catch (jobError) {
          return { ok: false, error: jobError } as const;
        }
      }),
    );
  }
}

async function decideAndWrite(deps: CommentProcessorDeps, jobs: CommentJob[]): Promise<Settled<CommentResult>[]> {
  const results: Settled<CommentResult>[] = new Array(jobs.length);
  let mark = performance.now();
  const stage = (name: 'context' | 'decide' | 'insert' | 'hooks') => {
    const now = performance.now();
    deps.observeStage?.(name, (now - mark) / 1000);
    mark = now;
  };
  const contexts = await loadBatchContexts(deps, jobs);
  stage('context');
  const rows: Array<{ index: number; row: NewComment; written: WrittenComment }> = [];
  // Deciding is pure but for the optional outside check, which only the uncertain comments of sites with a key wait for.
  const decisions = await Promise.all(
    contexts.map((context, index) =>
      context.ok && context.value
        ? decideComment(deps.akismet, jobs[index]!, context.value).then(
            (row) => ({ ok: true, value: row }) as const,
            (error: unknown) => ({ ok: false, error }) as const,
          )
        : undefined,
    ),
  );
  for (const [index, context] of contexts.entries()) {
    const job = jobs[index]!;
    if (!context.ok) {
      results[index] = context;
      continue;
    }
    if (!context.value) {
      // The site was deleted after ingest accepted the comment: there is nowhere to keep it.
      deps.logger.warn({ commentId: job.id, siteId: job.siteId }, 'site no longer exists; comment dropped');
      results[index] = { ok: true, value: null };
      continue;
    }
    const decision = decisions[index]!;
    if (!decision.ok) {
      results[index] = decision;
      continue;
    }
    const row = decision.value;
    rows.push({
      index,
      row,
      written: {
        siteId: job.siteId,
        threadKey: context.value.thread.key,
        commentId: job.id,
        status: row.status!,
        notify: Boolean(job.notify && job.author.email),
        isReply: row.parentId !== null,
      },
    });
  }

  stage('decide');
  const inserted = await insertIsolated(deps, rows, results);
  stage('insert');
  const written: typeof rows = [];
  // Rows already stored: an earlier run of the job (or the same job twice in this batch: only the first was new).
  const replayed: typeof rows = [];
  for (const r of rows) {
    if (results[r.index] !== undefined) continue;
    (inserted.delete(r.row.id!) ? written : replayed).push(r);
  }
  const stored = await findCommentStatuses(
    deps.db,
    replayed.map((r) => r.row.id!),
  );
  for (const r of replayed) {
    const existing = stored.get(r.row.id!);
    if (existing) Object.assign(r.written, { status: existing.status, isReply: existing.parentId !== null });
    results[r.index] = { ok: true, value: { status: existing?.status ?? r.written.status, written: false } };
  }
  for (const r of written) results[r.index] = { ok: true, value: { status: r.written.status, written: true } };

  await runHooks(
    written.map((r) => r.written),
    deps.onCommentsWritten,
    deps.onCommentWritten,
    written.map((r) => r.index),
    results,
  );
  await runHooks(
    replayed.filter((r) => stored.has(r.row.id!)).map((r) => r.written),
    deps.onCommentsReplayed,
    deps.onCommentReplayed,
    replayed.filter((r) => stored.has(r.row.id!)).map((r) => r.index),
    results,
  );
  stage('hooks');
  return results;
}

/** One comment, as a batch of one (tests, and callers without a batcher). Throws what the comment's job would fail with. */
export async function processComment(deps: CommentProcessorDeps, job: CommentJob): Promise<CommentResult> {
  const [result] = await processCommentBatch(deps, [job]);
  if (!result!.ok) throw result!.error;
  return result!.value;
}

/**
 * The batch's rows in one INSERT. If Postgres refuses it (one row it cannot
 * take: a NUL byte, a thread deleted meanwhile), each row is tried alone so
 * that only the bad one fails.
 */
async function insertIsolated(
  deps: CommentProcessorDeps,
  rows: Array<{ index: number; row: NewComment }>,
  results: Settled<CommentResult>[],
): Promise<Set<string>> {
  try {
    return await insertComments(
      deps.db,
      rows.map((r) => r.row),
    );
  } catch (error) {
    // Two batches touching the same threads' counters may deadlock: Postgres aborts one; run it again.
    if (isLockConflict(error)) {
      try {
        return await insertComments(
          deps.db,
          rows.map((r) => r.row),
        );
      } catch (retryError) {
        deps.logger.warn(
          { err: retryError, rows: rows.length },
          'batch insert failed twice; inserting its rows one by one',
        );
      }
    }
    if (rows.length <= 1) throw error;
    const inserted = new Set<string>();
    await Promise.all(
      rows.map(async ({ index, row }) => {
        try {
          if ((await insertComments(deps.db, [row])).size > 0) inserted.add(row.id!);
        } catch (rowError) {
          results[index] = { ok: false, error: rowError };
        }
      }),
    );
    return inserted;
  }
}

function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** The batch hook once, or the one-comment hook per comment (each failure failing only its own job). */
async function runHooks(
  list: WrittenComment[],
  batchHook: ((list: WrittenComment[]) => Promise<void>) | undefined,
  oneHook: ((one: WrittenComment) => Promise<void>) | undefined,
  indexes: number[],
  results: Settled<CommentResult>[],
): Promise<void> {
  if (list.length === 0) return;
  if (batchHook) {
    try {
      await batchHook(list);
    } catch (error) {
      for (const index of indexes) results[index] = { ok: false, error };
    }
    return;
  }
  if (!oneHook) return;
  const settled = await Promise.allSettled(list.map((one) => oneHook(one)));
  settled.forEach((outcome, i) => {
    if (outcome.status === 'rejected') results[indexes[i]!] = { ok: false, error: outcome.reason };
  });
}
