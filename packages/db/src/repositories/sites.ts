import type { DB } from '../connect.js';
import { deleteById } from './rows.js';
import type { ModerationMode, NewSite, Site, SiteSettings } from '../schema.js';

export async function createSite(db: DB, site: NewSite): Promise<Site> {
  return db
    .insertInto('sites')
    .values({ ...site, origins: JSON.stringify(site.origins), settings: JSON.stringify(site.settings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findSite(db: DB, id: string): Promise<Site | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSites(db: DB, ids?: string[]): Promise<Site[]> {
  let query = db.selectFrom('sites').selectAll().orderBy('id');
  if (ids) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', ids);
  }
  return query.execute();
}

export interface SitePatch {
  name?: string;
  origins?: string[];
  moderation?: ModerationMode;
  settings?: SiteSettings;
}

export async function updateSite(db: DB, id: string, patch: SitePatch): Promise<Site | undefined> {
  return db
    .updateTable('sites')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.moderation !== undefined && { moderation: patch.moderation }),
      ...(patch.origins !== undefined && { origins: JSON.stringify(patch.origins) }),
      ...(patch.settings !== undefined && { settings: JSON.stringify(patch.settings) }),
      updatedAt: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export const deleteSite = (db: DB, id: string): Promise<boolean> => deleteById(db, 'sites', id);
