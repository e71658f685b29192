import { type Kysely, sql } from 'kysely';
import { defaultNow } from './columns.js';
import { defineApprovedCountFunctions } from './approved-count-functions.js';

// Reader features of issue 15: votes (one per reader and comment, counters on
// the comment so a thread read needs no aggregate), pinning, the writer's own
// edits (earlier versions kept for moderators) and deletions, and an index
// for the live stream's replay (what changed in a thread since a moment).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table comments
    add column votes_up integer not null default 0,
    add column votes_down integer not null default 0,
    add column pinned_at timestamptz,
    add column edited_at timestamptz,
    add column deleted_at timestamptz`.execute(db);

  await db.schema
    .createTable('comment_votes')
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    // 'id:<issuer>|<subject>' for a signed-in reader, 'vt:<token id>' for a voter token.
    .addColumn('voter', 'text', (c) => c.notNull())
    .addColumn('value', 'smallint', (c) => c.notNull().check(sql`value in (-1, 1)`))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addPrimaryKeyConstraint('comment_votes_pk', ['comment_id', 'voter'])
    .execute();

  await db.schema
    .createTable('comment_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    // When this text was replaced by an edit.
    .addColumn('edited_at', 'timestamptz', defaultNow)
    .execute();
  await sql`create index comment_versions_comment_idx on comment_versions (comment_id, id)`.execute(db);

  // Live stream replay: a thread's comments changed since a moment.
  await sql`create index comments_thread_updated_idx on comments (thread_id, updated_at)`.execute(db);
  // Pinned comments of a thread come first; few rows, so a small partial index.
  await sql`create index comments_thread_pinned_idx on comments (thread_id, pinned_at) where pinned_at is not null`.execute(
    db,
  );

  // A comment its writer deleted no longer counts: the count triggers learn about deleted_at.
  await defineApprovedCountFunctions(db, 'create or replace', "status = 'approved' and deleted_at is null");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists comments_thread_pinned_idx`.execute(db);
  await sql`drop index if exists comments_thread_updated_idx`.execute(db);
  await db.schema.dropTable('comment_versions').ifExists().execute();
  await db.schema.dropTable('comment_votes').ifExists().execute();
  await sql`alter table comments drop column votes_up, drop column votes_down, drop column pinned_at, drop column edited_at, drop column deleted_at`.execute(
    db,
  );
}
