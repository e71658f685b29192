import { type DB, findSite, listSubscribedEventTypes } from '@stammtisch/db';
import { createCachedLoader } from './cached-loader.js';

/** What a site's events can lead to: its enabled webhooks' event types, and whether held-comment mails go out. */
export interface SiteEventInterest {
  webhookEvents: ReadonlySet<string>;
  notifyHeld: boolean;
}

/**
 * A short-lived, per-process answer to "does anyone listen to this site's
 * events?". Most sites have no webhooks: queueing two event jobs per comment
 * for them tripled the worker's job count for nothing. The api publishes
 * site.changed when webhooks change (invalidate), and the TTL bounds the rest.
 */
export function createEventInterestCache(db: DB, options: { ttlMs?: number } = {}) {
  async function load(siteId: string): Promise<SiteEventInterest> {
    const [eventTypes, site] = await Promise.all([listSubscribedEventTypes(db, siteId), findSite(db, siteId)]);
    return { webhookEvents: new Set(eventTypes), notifyHeld: (site?.settings.notifyEmails?.length ?? 0) > 0 };
  }
  return createCachedLoader(load, { ttlMs: options.ttlMs ?? 5_000 });
}
