import { type DB, eraseAuthor, findAuthorData } from '@stammtisch/db';
import { openApiRouter } from '@stammtisch/http';
import { type AuthEnv, type Principal, accessibleSite } from '../auth.js';
import { eraseAuthorRoute, exportAuthorRoute } from './admin-api.js';

export interface PrivacyRoutesDeps {
  db: DB;
  /** Drops the site's cached reads everywhere, so erased text stops being served at once. */
  onSiteChanged: (siteId: string) => Promise<void>;
}

/** What an erased comment shows in place of its author and text. */
export const ERASED_NAME = '[gelöscht]';
export const ERASED_BODY = '[gelöscht]';

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
  const app = openApiRouter<AuthEnv>();

  const siteFor = (principal: Principal, id: string) => accessibleSite(deps.db, principal, id);

  app.openapi(exportAuthorRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    const email = c.req.valid('query').email.toLowerCase();
    const { comments, subscriptions } = await findAuthorData(deps.db, site.id, email);
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

  app.openapi(eraseAuthorRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    const email = c.req.valid('query').email.toLowerCase();
    const erased = await eraseAuthor(deps.db, {
      siteId: site.id,
      email,
      erased: { name: ERASED_NAME, body: ERASED_BODY },
    });
    await deps.onSiteChanged(site.id);
    return c.json({ site: site.id, erased });
  });

  return app;
}
