import type { DB } from '../connect.js';

/**
 * Runs `work` in one transaction: every repository function takes a `DB`, and
 * the transaction is one, so callers compose repository calls atomically
 * without writing SQL themselves. A throw rolls everything back.
 */
export async function withTransaction<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
