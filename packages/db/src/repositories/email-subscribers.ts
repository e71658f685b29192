import { randomBytes } from 'node:crypto';
import type { DB } from '../connect.js';
import type { Updateable } from 'kysely';
import type { EmailSubscriber, EmailSubscriberTable } from '../schema.js';

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Notes that the author of `commentId` wants an email when someone replies.
 * The address is asked to confirm first (double opt-in): returns
 * `needsConfirmation` when a confirmation mail should go out, which is the
 * first time an address ticks the box on a site, and again after it unsubscribed.
 */
export async function watchReplies(
  db: DB,
  input: { siteId: string; commentId: string; email: string; locale?: string | null },
): Promise<{ subscriber: EmailSubscriber; needsConfirmation: boolean }> {
  const email = input.email.trim().toLowerCase();
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('emailSubscribers')
      .values({ siteId: input.siteId, email, token: newToken(), locale: input.locale ?? null })
      .onConflict((oc) => oc.columns(['siteId', 'email']).doNothing())
      .returningAll()
      .executeTakeFirst();
    let subscriber =
      inserted ??
      (await trx
        .selectFrom('emailSubscribers')
        .selectAll()
        .where('siteId', '=', input.siteId)
        .where('email', '=', email)
        .forUpdate()
        .executeTakeFirstOrThrow());
    let needsConfirmation = inserted !== undefined;
    if (subscriber.status === 'unsubscribed') {
      // Ticking the box again is a new request: ask again, with a fresh token (old links stay dead).
      subscriber = await trx
        .updateTable('emailSubscribers')
        .set({ status: 'pending', token: newToken(), unsubscribedAt: null })
        .where('id', '=', subscriber.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      needsConfirmation = true;
    }
    await trx
      .insertInto('replyWatches')
      .values({ commentId: input.commentId, subscriberId: subscriber.id })
      .onConflict((oc) => oc.column('commentId').doNothing())
      .execute();
    return { subscriber, needsConfirmation };
  });
}

export async function findEmailSubscriber(db: DB, id: string): Promise<EmailSubscriber | undefined> {
  return db.selectFrom('emailSubscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The confirmed subscriber watching `commentId` for replies, if any. */
export async function findReplyWatcher(db: DB, commentId: string): Promise<EmailSubscriber | undefined> {
  return db
    .selectFrom('replyWatches')
    .innerJoin('emailSubscribers', 'emailSubscribers.id', 'replyWatches.subscriberId')
    .selectAll('emailSubscribers')
    .where('replyWatches.commentId', '=', commentId)
    .where('emailSubscribers.status', '=', 'confirmed')
    .executeTakeFirst();
}

/** Changes the subscriber whose link carries `token`, returning it (none for an unknown token). */
function updateSubscriberByToken(db: DB, token: string, changes: Updateable<EmailSubscriberTable>) {
  return db.updateTable('emailSubscribers').set(changes).where('token', '=', token).returningAll();
}

export async function confirmEmailSubscriber(db: DB, token: string): Promise<EmailSubscriber | undefined> {
  const confirmed = { status: 'confirmed', confirmedAt: new Date() } as const;
  return updateSubscriberByToken(db, token, confirmed).where('status', '!=', 'unsubscribed').executeTakeFirst();
}

export async function unsubscribeEmailSubscriber(db: DB, token: string): Promise<EmailSubscriber | undefined> {
  return updateSubscriberByToken(db, token, { status: 'unsubscribed', unsubscribedAt: new Date() }).executeTakeFirst();
}
