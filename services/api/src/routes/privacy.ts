import { type DB, findSite } from '@stammtisch/db';
import { AppError, validate } from '@stammtisch/http';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';

export interface PrivacyRoutesDeps {
  db: DB;
  /** Drops the site's cached reads everywhere, so erased text stops being served at once. */
  onSiteChanged: (siteId: string) => Promise<void>;
}

/** What an erased comment shows in place of its author and text. */
export const ERASED_NAME = '[gelöscht]';
export const ERASED_BODY = '[gelöscht]';

export const AuthorQuery = z.object({
  email: z.string().trim().min(3, 'must be an email address').max(254, 'must be at most 254 characters').email('must be an email address'),
});

/**
 * GDPR for site owners: export (Art. 15/20) and erase (Art. 17) everything a
 * site holds about one commenter, found by email address.
 *
 * Erasure anonymises rather than deletes: the comments stay as
 * "[gelöscht]" placeholders so replies by other people keep their place in
 * the thread, but nothing about the person remains: name, email, URL, IP
 * hash, identity, body and HTML are replaced, and mail subscriptions and
 * stored webhook payloads that carried those comments are removed.
 */
export function privacyRoutes(deps: PrivacyRoutesDeps) {
  const app = new Hono<AuthEnv>();

  async function siteFor(principal: AuthEnv['Variables']['principal'], id: string) {
    assertSiteAccess(principal, id, ['owner']);
    const site = await findSite(deps.db, id);
    if (!site) throw new AppError('site_not_found', `no site with id ${id}`);
    return site;
  }

  app.get('/v1/admin/sites/:id/authors', validate('query', AuthorQuery), async (c) => {
    const site = await siteFor(c.get('principal'), c.req.param('id'));
    const email = c.req.valid('query').email.toLowerCase();
    const comments = await deps.db
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.threadId')
      .where('comments.siteId', '=', site.id)
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
    const subscriptions = await deps.db
      .selectFrom('emailSubscribers')
      .where('siteId', '=', site.id)
      .where('email', '=', email)
      .select(['status', 'createdAt', 'confirmedAt', 'unsubscribedAt'])
      .execute();
    c.header('Cache-Control', 'no-store');
    return c.json({
      site: site.id,
      email,
      comments: comments.map((row) => ({
        id: row.id,
        thread: { key: row.threadKey, title: row.threadTitle, url: row.threadUrl },
        parentId: row.parentId,
        author: { name: row.authorName, email: row.authorEmail, url: row.authorUrl },
        body: row.body,
        html: row.html,
        status: row.status,
        createdAt: row.createdAt.toISOString(),
      })),
      subscriptions: subscriptions.map((s) => ({
        status: s.status,
        createdAt: s.createdAt.toISOString(),
        confirmedAt: s.confirmedAt?.toISOString() ?? null,
        unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
      })),
    });
  });

  app.delete('/v1/admin/sites/:id/authors', validate('query', AuthorQuery), async (c) => {
    const site = await siteFor(c.get('principal'), c.req.param('id'));
    const email = c.req.valid('query').email.toLowerCase();
    const erased = await deps.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('comments')
        .set({
          authorName: ERASED_NAME,
          authorEmail: null,
          authorUrl: null,
          authorIpHash: null,
          authorIdentity: null,
          body: ERASED_BODY,
          html: `<p>${ERASED_BODY}</p>`,
          // A hash of nothing personal and unique per row, so the duplicate check never matches it.
          bodyHash: sql<string>`'erased:' || id::text`,
          updatedAt: new Date(),
        })
        .where('siteId', '=', site.id)
        .where(sql<string>`lower(author_email)`, '=', email)
        .returning('id')
        .execute();
      const ids = rows.map((r) => r.id);
      // Stored webhook payloads carried the erased comments' text and name.
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await sql`update webhook_deliveries set payload = '{"erased":true}'
          where webhook_id in (select id from webhooks where site_id = ${site.id})
            and payload like any (${sql.val(chunk.map((id) => `%${id}%`))}::text[])`.execute(trx);
      }
      // Mail subscriptions (reply watches cascade) and, where the identity tables exist, verified addresses.
      const subscriptions = await trx.deleteFrom('emailSubscribers').where('siteId', '=', site.id).where('email', '=', email).executeTakeFirst();
      for (const table of ['email_verifications', 'verified_emails']) {
        const exists = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(trx);
        if (exists.rows[0]?.found) await sql`delete from ${sql.table(table)} where site_id = ${site.id} and lower(email) = ${email}`.execute(trx);
      }
      return { comments: ids.length, subscriptions: Number(subscriptions.numDeletedRows) };
    });
    await deps.onSiteChanged(site.id);
    return c.json({ site: site.id, erased });
  });

  return app;
}
