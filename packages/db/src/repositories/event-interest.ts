import type { DB } from '../connect.js';

/** The event types the site's enabled webhooks subscribe to (each type once). */
export async function listSubscribedEventTypes(db: DB, siteId: string): Promise<string[]> {
  const webhooks = await db
    .selectFrom('webhooks')
    .select('events')
    .where('siteId', '=', siteId)
    .where('enabled', '=', true)
    .execute();
  return [...new Set(webhooks.flatMap((w) => w.events as string[]))];
}
