import {
  type DB,
  type Site,
  commentSeries,
  countCommentsByStatus,
  createApiKey,
  createSite,
  deleteSite,
  findKey,
  findSite,
  heldAges,
  listKeys,
  listSites,
  revokeKey,
  topReasons,
  updateSite,
} from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import type { Queue } from 'bullmq';
import {
  type AuthEnv,
  type Principal,
  accessibleSite,
  assertAdmin,
  assertSiteAccess,
  visibleSiteIds,
} from '../auth.js';
import { moderationStats } from '../moderation/stats.js';
import { SiteSettings } from '../schemas.js';
import {
  createKeyRoute,
  createSiteRoute,
  deleteSiteRoute,
  getSiteRoute,
  listKeysRoute,
  listSitesRoute,
  revokeKeyRoute,
  statsRoute,
  updateSiteRoute,
} from './admin-api.js';

export interface AdminRoutesDeps {
  db: DB;
  queue: Queue;
  /** Every comment queue shard (QUEUE_SHARDS); the stats sum them. Default [queue]. */
  queues?: Queue[];
  /** Tells every process that a site's settings changed (caches drop it). */
  onSiteChanged: (siteId: string) => Promise<void>;
}

export function toSiteView(site: Site) {
  return {
    id: site.id,
    name: site.name,
    origins: site.origins,
    moderation: site.moderation,
    settings: site.settings,
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}

/** `/v1/admin/…`: sites, keys and stats. Mounted behind `requireKey`. */
export function adminRoutes(deps: AdminRoutesDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openAPIRegistry.register('SiteSettings', SiteSettings);

  const siteFor = (principal: Principal, id: string, roles?: Array<'owner' | 'moderator'>) =>
    accessibleSite(deps.db, principal, id, roles);

  app.openapi(createSiteRoute, async (c) => {
    assertAdmin(c.get('principal'));
    const input = c.req.valid('json');
    if (await findSite(deps.db, input.id))
      throw new AppError('conflict', `a site with id ${input.id} exists already`, [
        { path: 'id', message: 'is taken' },
      ]);
    const site = await createSite(deps.db, input);
    await deps.onSiteChanged(site.id);
    return c.json(toSiteView(site), 201);
  });

  app.openapi(listSitesRoute, async (c) => {
    const sites = await listSites(deps.db, visibleSiteIds(c.get('principal')) ?? undefined);
    return c.json({ sites: sites.map(toSiteView) });
  });

  app.openapi(getSiteRoute, async (c) =>
    c.json(toSiteView(await siteFor(c.get('principal'), c.req.valid('param').id, ['owner', 'moderator']))),
  );

  app.openapi(updateSiteRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    const patch = c.req.valid('json');
    const updated = await updateSite(deps.db, site.id, {
      ...patch,
      // Settings merge: a PATCH of one setting keeps the others.
      ...(patch.settings && { settings: { ...site.settings, ...patch.settings } }),
    });
    await deps.onSiteChanged(site.id);
    return c.json(toSiteView(updated!));
  });

  app.openapi(deleteSiteRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    await deleteSite(deps.db, site.id);
    await deps.onSiteChanged(site.id);
    return c.body(null, 204);
  });

  app.openapi(createKeyRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    const { id, key } = await createApiKey(deps.db, { siteId: site.id, role: c.req.valid('json').role });
    // The key is shown this once; only its hash is stored.
    return c.json({ id, key, role: c.req.valid('json').role, siteId: site.id }, 201);
  });

  app.openapi(listKeysRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id);
    // Dates go out as ISO 8601 strings (Date.toJSON).
    return c.json({ keys: await listKeys(deps.db, site.id) });
  });

  app.openapi(revokeKeyRoute, async (c) => {
    const principal = c.get('principal');
    const key = await findKey(deps.db, c.req.valid('param').keyId);
    if (!key || (principal.role !== 'admin' && key.siteId !== principal.siteId))
      throw new AppError('not_found', 'no such key');
    if (principal.role !== 'admin') assertSiteAccess(principal, key.siteId ?? '', ['owner'], 'not_found');
    await revokeKey(deps.db, key.id);
    return c.body(null, 204);
  });

  app.openapi(statsRoute, async (c) => {
    const site = await siteFor(c.get('principal'), c.req.valid('param').id, ['owner', 'moderator']);
    const query = c.req.valid('query');
    const range =
      query.from && query.to && query.bucket
        ? { siteId: site.id, from: query.from, to: query.to, bucket: query.bucket }
        : null;
    const [comments, counts, moderation, series] = await Promise.all([
      countCommentsByStatus(deps.db, site.id),
      queueCounts(deps.queues ?? [deps.queue]),
      moderationStats(deps.db, site.id),
      range
        ? Promise.all([commentSeries(deps.db, range), heldAges(deps.db, site.id), topReasons(deps.db, range)])
        : null,
    ]);
    return c.json({
      comments,
      moderation,
      // Queue counts are for the shared queue, across sites.
      queue: {
        waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
      },
      ...(series ? { series: series[0], heldAges: series[1], topReasons: series[2] } : {}),
    });
  });

  return app;
}

async function queueCounts(queues: Queue[]): Promise<Record<string, number>> {
  const all = await Promise.all(
    queues.map((queue) => queue.getJobCounts('waiting', 'active', 'failed', 'delayed', 'prioritized')),
  );
  const sum: Record<string, number> = {};
  for (const counts of all) for (const [state, n] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + n;
  return sum;
}
