import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { withTransaction } from './transaction.js';

/** Everything a site holds about one commenter, found by email (lower case): their comments and mail subscriptions. */
export async function findAuthorData(db: DB, siteId: string, email: string) {
  const comments = await db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.threadId')
    .where('comments.siteId', '=', siteId)
    .where(sql<string>`lower(comments.author_email)`, '=', email)
    .select([
      'comments.id',
      'comments.parentId',
      'comments.authorName',
      'comments.authorEmail',
      'comments.authorUrl',
      'comments.body',
      'comments.html',
      'comments.status',
      'comments.createdAt',
      'threads.key as threadKey',
      'threads.title as threadTitle',
      'threads.url as threadUrl',
    ])
    .orderBy('comments.createdAt')
    .execute();
  const subscriptions = await db
    .selectFrom('emailSubscribers')
    .where('siteId', '=', siteId)
    .where('email', '=', email)
    .select(['status', 'createdAt', 'confirmedAt', 'unsubscribedAt'])
    .execute();
  return { comments, subscriptions };
}

/**
 * Erases one commenter (by email, lower case) from a site in one transaction:
 * their comments keep their place with `erased` as name and text, stored
 * webhook payloads that carried them are blanked, mail subscriptions and
 * verified addresses are deleted. Returns the counts.
 */
export async function eraseAuthor(
  db: DB,
  input: { siteId: string; email: string; erased: { name: string; body: string } },
): Promise<{ comments: number; subscriptions: number }> {
  const { siteId, email, erased } = input;
  return withTransaction(db, async (trx) => {
    const rows = await trx
      .updateTable('comments')
      .set({
        authorName: erased.name,
        authorEmail: null,
        authorUrl: null,
        authorIpHash: null,
        authorIdentity: null,
        body: erased.body,
        html: `<p>${erased.body}</p>`,
        // A hash of nothing personal and unique per row, so the duplicate check never matches it.
        bodyHash: sql<string>`'erased:' || id::text`,
        updatedAt: new Date(),
      })
      .where('siteId', '=', siteId)
      .where(sql<string>`lower(author_email)`, '=', email)
      .returning('id')
      .execute();
    const ids = rows.map((r) => r.id);
    // Stored webhook payloads carried the erased comments' text and name.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await sql`update webhook_deliveries set payload = '{"erased":true}'
          where webhook_id in (select id from webhooks where site_id = ${siteId})
            and payload like any (${sql.val(chunk.map((id) => `%${id}%`))}::text[])`.execute(trx);
    }
    // Mail subscriptions (reply watches cascade) and, where the identity tables exist, verified addresses.
    const subscriptions = await trx
      .deleteFrom('emailSubscribers')
      .where('siteId', '=', siteId)
      .where('email', '=', email)
      .executeTakeFirst();
    for (const table of ['email_verifications', 'verified_emails']) {
      const exists = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(trx);
      if (exists.rows[0]?.found)
        await sql`delete from ${sql.table(table)} where site_id = ${siteId} and lower(email) = ${email}`.execute(trx);
    }
    return { comments: ids.length, subscriptions: Number(subscriptions.numDeletedRows) };
  });
}
