import type { DB } from '../connect.js';

export interface SpamSignalInput {
  kind: string;
  value: string;
  fingerprint?: string | null;
}

export interface StoredSpamSignal {
  kind: string;
  value: string;
  fingerprint: string | null;
  siteId: string;
}

/** How long a spam decision keeps marking its campaign: waves pass, addresses get reused. */
export const SPAM_SIGNAL_DAYS = 90;

/** Stores the signals of a comment a moderator marked spam (repeating it changes nothing). */
export async function recordSpamSignals(
  db: DB,
  input: { siteId: string; commentId: string; signals: readonly SpamSignalInput[] },
): Promise<void> {
  if (input.signals.length === 0) return;
  await db
    .insertInto('spamSignals')
    .values(
      input.signals.map((s) => ({
        commentId: input.commentId,
        siteId: input.siteId,
        kind: s.kind,
        value: s.value,
        fingerprint: s.fingerprint ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['commentId', 'kind', 'value']).doNothing())
    .execute();
}

/** Drops a comment's signals: its spam decision was undone or overturned. */
export async function removeSpamSignals(db: DB, commentId: string): Promise<void> {
  await db.deleteFrom('spamSignals').where('commentId', '=', commentId).execute();
}

/**
 * Every recent stored signal with one of these values, from any site: one query for a whole
 * batch of comments (the caller matches rows back to comments). Capped, because a band of a
 * very common text could match many rows; the newest win.
 */
export async function findSpamSignals(
  db: DB,
  values: readonly string[],
  now = new Date(),
): Promise<StoredSpamSignal[]> {
  const unique = [...new Set(values)];
  if (unique.length === 0) return [];
  const since = new Date(now.getTime() - SPAM_SIGNAL_DAYS * 24 * 3600_000);
  return db
    .selectFrom('spamSignals')
    .select(['kind', 'value', 'fingerprint', 'siteId'])
    .where('value', 'in', unique)
    .where('createdAt', '>', since)
    .orderBy('createdAt', 'desc')
    .limit(5000)
    .execute();
}
