import {
  type Ban,
  type DB,
  type Site,
  findSite,
  listSiteBans,
  loadSiteOverrides,
  loadSiteSpamCounts,
} from '@stammtisch/db';
import { createCachedLoader } from './cached-loader.js';
import { DEFAULT_SETTINGS, type SpamModel, adaptThresholds, loadBaseModel, siteModel } from '@stammtisch/spam';

export interface SiteContext {
  site: Site;
  bans: Ban[];
  model: SpamModel;
}

/**
 * What the worker needs to decide a site's comments: its settings, bans and
 * classifier (shipped base model + what the site's moderators taught it).
 * Loaded once per site and kept until a change event or the TTL drops it,
 * so a thousand comments on one site cost one model load.
 */
export function createSiteContextCache(db: DB, options: { ttlMs?: number } = {}) {
  async function load(siteId: string): Promise<SiteContext | null> {
    const site = await findSite(db, siteId);
    if (!site) return null;
    const [bans, counts, overrides] = await Promise.all([
      listSiteBans(db, siteId),
      loadSiteSpamCounts(db, siteId),
      // Thresholds the owner set explicitly stay as set; otherwise they follow the moderators.
      site.settings.thresholds ? null : loadSiteOverrides(db, siteId),
    ]);
    const settings = overrides
      ? { ...site.settings, thresholds: adaptThresholds(DEFAULT_SETTINGS.thresholds, overrides) }
      : site.settings;
    return { site: { ...site, settings }, bans, model: siteModel(loadBaseModel(), counts) };
  }
  // Concurrent jobs of one site share a single load.
  return createCachedLoader(load, { ttlMs: options.ttlMs ?? 60_000 });
}
export type SiteContextCache = ReturnType<typeof createSiteContextCache>;
