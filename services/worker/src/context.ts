import {
  type CommentContextRow,
  type DB,
  type Thread,
  commentBodyHash,
  findOrCreateThreads,
  loadCommentContexts,
} from '@stammtisch/db';
import type { CommentJob } from '@stammtisch/contract';
import type { LiveContext } from '@stammtisch/spam';
import type { Settled } from './batcher.js';
import type { SiteContext, SiteContextCache } from './site-context.js';
import { loadCampaignMatches } from './campaign-context.js';

/** Everything the worker knows about one comment before it decides. */
export interface CommentContext {
  site: SiteContext;
  thread: Thread;
  bodyHash: string;
  /** What the spam checks see (author record, duplicates, bursts). */
  live: LiveContext;
  emailVerified: boolean;
  nameOwner: string | null;
  parent: CommentContextRow['parent'];
}

export interface ContextDeps {
  db: DB;
  siteContexts: SiteContextCache;
  /** Cached thread look-ups (thread-cache.ts `getMany`); without it a batch's threads are found or made in one statement. */
  findThreads?: (
    inputs: Array<{ siteId: string; key: string; url?: string | null; title?: string | null }>,
  ) => Array<Promise<Thread>>;
}

const TEN_MINUTES = 10 * 60_000;
const DAY = 24 * 3600_000;

/**
 * The context of a batch of comments: sites and threads from the caches, and
 * one statement for every per-comment look-up (author record, duplicates,
 * bursts, verified email, taken name, parent). A comment whose site is gone
 * gets `null`; a comment whose thread cannot be found or made fails alone.
 * Comments of the same batch count for each other's duplicates and bursts,
 * as if they had been written one after the other.
 *
 * New look-ups go here (one more sub-select in `loadCommentContexts`, or
 * one more batched query below), never per comment in the processor.
 */
export async function loadBatchContexts(
  deps: ContextDeps,
  jobs: CommentJob[],
): Promise<Settled<CommentContext | null>[]> {
  const findThreads =
    deps.findThreads ??
    ((inputs) => {
      const loaded = findOrCreateThreads(deps.db, inputs);
      return inputs.map((input) =>
        loaded.then(
          (found) =>
            found.get(`${input.siteId}\u0000${input.key}`) ??
            Promise.reject(new Error(`thread ${input.key} could not be created`)),
        ),
      );
    });
  const bodyHashes = jobs.map((job) => commentBodyHash(job.body));
  // Sites first (cached, so nearly free): a deleted site's comments ask for no thread.
  const sites = await Promise.all(jobs.map((job) => deps.siteContexts.get(job.siteId)));
  const live = jobs.filter((_, i) => sites[i]);
  const [liveThreads, rows, campaigns] = await Promise.all([
    Promise.allSettled(
      findThreads(
        live.map((job) => ({ siteId: job.siteId, key: job.thread.key, url: job.thread.url, title: job.thread.title })),
      ),
    ),
    loadCommentContexts(
      deps.db,
      jobs.map((job, i) => ({
        siteId: job.siteId,
        email: job.author.email ?? null,
        ipHash: job.ipHash ?? null,
        bodyHash: bodyHashes[i]!,
        at: new Date(job.receivedAt),
        parentId: job.parentId ?? null,
        identity: job.identity ? { issuer: job.identity.issuer, subject: job.identity.subject } : null,
        name: job.author.name,
      })),
    ),
    // What moderators on any site marked spam (hashes and fingerprints only), for the whole batch at once.
    loadCampaignMatches(deps.db, jobs),
  ]);
  const threads = new Map(live.map((job, i) => [job, liveThreads[i]!]));
  return jobs.map((job, i): Settled<CommentContext | null> => {
    const site = sites[i];
    if (!site) return { ok: true, value: null };
    const thread = threads.get(job)!;
    if (thread.status === 'rejected') return { ok: false, error: thread.reason };
    const row = rows[i]!;
    const live: LiveContext = {
      authorHistory: row.authorHistory,
      recentDuplicates: row.recentDuplicates,
      burst: { ...row.burst },
      campaign: campaigns[i],
    };
    // The earlier comments of this batch are not stored yet: count them as if they were.
    for (let j = 0; j < jobs.length; j++) {
      const other = jobs[j]!;
      if (
        j === i ||
        other.siteId !== job.siteId ||
        other.receivedAt > job.receivedAt ||
        (other.receivedAt === job.receivedAt && j > i)
      )
        continue;
      const age = job.receivedAt - other.receivedAt;
      if (bodyHashes[j] === bodyHashes[i] && age < DAY) live.recentDuplicates! += 1;
      if (age < TEN_MINUTES && job.ipHash && other.ipHash === job.ipHash) live.burst!.sameIp += 1;
      if (age < TEN_MINUTES && job.author.email && other.author.email?.toLowerCase() === job.author.email.toLowerCase())
        live.burst!.sameEmail += 1;
    }
    return {
      ok: true,
      value: {
        site,
        thread: thread.value,
        bodyHash: bodyHashes[i]!,
        live,
        emailVerified: row.emailVerified,
        nameOwner: row.nameOwner,
        parent: row.parent,
      },
    };
  });
}
