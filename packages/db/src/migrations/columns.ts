import { type ColumnBuilderCallback, type CreateTableBuilder, sql } from 'kysely';

// The column definitions most tables repeat, shared by the migrations (which
// import nothing else: they must keep working after the app's types move on).
// Changing one changes what every migration using it creates: add new ones
// instead.

/** `uuid primary key default gen_random_uuid()`: an id Postgres makes. */
export const generatedUuid: ColumnBuilderCallback = (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`);

/** `not null references sites(id) on delete cascade`: the row belongs to a site and goes with it. */
export const siteReference: ColumnBuilderCallback = (c) => c.notNull().references('sites.id').onDelete('cascade');

/** `not null default now()`: when the row was made (or changed). */
export const defaultNow: ColumnBuilderCallback = (c) => c.notNull().defaultTo(sql`now()`);

/** The two columns that open most tables: a generated uuid `id`, and the `site_id` the row belongs to. */
export function siteScopedId<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) {
  return table.addColumn('id', 'uuid', generatedUuid).addColumn('site_id', 'text', siteReference);
}
