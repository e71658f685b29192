import type { DB } from '../connect.js';
import type { Ban } from '../schema.js';

/** Every ban of a site (email, IP hash, word, identity), for the spam stage. */
export async function listSiteBans(db: DB, siteId: string): Promise<Ban[]> {
  return db.selectFrom('bans').selectAll().where('siteId', '=', siteId).execute();
}
