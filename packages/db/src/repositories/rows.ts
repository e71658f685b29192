import type { Insertable } from 'kysely';
import type { DB } from '../connect.js';
import type { Database } from '../schema.js';

// Row operations several repositories share, written once.

/** Deletes the row with this id; whether there was one. */
export async function deleteById(db: DB, table: 'sites' | 'webhooks', id: string): Promise<boolean> {
  const result = await db.deleteFrom(table).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

type TableWithUuid = 'threads' | 'reports' | 'webhookDeliveries';

/**
 * Inserts `row` unless one with the same `unique` columns is there already
 * (ON CONFLICT DO NOTHING, so racing writers never fail): the new row's id,
 * or undefined when it existed.
 */
export async function insertUnlessExists<T extends TableWithUuid>(
  db: DB,
  table: T,
  row: Insertable<Database[T]>,
  unique: (keyof Database[T] & string)[],
): Promise<string | undefined> {
  const inserted = await (db as DB)
    .insertInto(table as TableWithUuid)
    .values(row as never)
    .onConflict((oc) => oc.columns(unique as never).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}
