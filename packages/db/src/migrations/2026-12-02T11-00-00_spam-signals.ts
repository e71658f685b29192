import type { Kysely } from 'kysely';
import { defaultNow, siteReference } from './columns.js';

// Campaign signals: written when a moderator marks a comment spam on any site, read by the
// worker for new comments on every site. Only hashes and fingerprints (MinHash bands of the
// normalised text, hashed link domains, email and IP hashes): a site's moderators can never
// read another site's comments from here. Rows go with their comment (cascade) and are
// removed when the spam decision is undone or overturned.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spam_signals')
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('site_id', 'text', siteReference)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addPrimaryKeyConstraint('spam_signals_pk', ['comment_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('spam_signals_value_idx').on('spam_signals').columns(['value', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('spam_signals').ifExists().execute();
}
