import { type Kysely, sql } from 'kysely';

// The stats time series reads one site's comments by creation time across
// every status, and asks of each moderation event whether it was undone.
// Neither had an index that fits: the existing (site_id, status, created_at)
// needs a status, and nothing indexed undo_of.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists comments_site_created_idx on comments (site_id, created_at)`.execute(db);
  await sql`create index if not exists moderation_events_undo_of_idx on moderation_events (undo_of) where undo_of is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists moderation_events_undo_of_idx`.execute(db);
  await sql`drop index if exists comments_site_created_idx`.execute(db);
}
