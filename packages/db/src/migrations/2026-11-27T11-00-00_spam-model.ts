import type { Kysely } from 'kysely';
import { defaultNow, siteReference } from './columns.js';

// Per-site classifier counts, learned from moderators' decisions. The shipped
// base model lives in code; these rows are what each site has taught it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spam_models')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    .addColumn('spam_docs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham_docs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', defaultNow)
    .execute();
  await db.schema
    .createTable('spam_token_counts')
    .addColumn('site_id', 'text', siteReference)
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('spam_token_counts_pk', ['site_id', 'token'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('spam_token_counts').ifExists().execute();
  await db.schema.dropTable('spam_models').ifExists().execute();
}
