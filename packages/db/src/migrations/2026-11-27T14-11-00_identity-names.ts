import { type Kysely, sql } from 'kysely';

// The worker asks, for every anonymous comment, whether its name belongs to a
// signed-in author of the site (a taken name is held for a moderator).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index comments_identity_name_idx on comments (site_id, lower(author_name)) where author_identity is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists comments_identity_name_idx`.execute(db);
}
