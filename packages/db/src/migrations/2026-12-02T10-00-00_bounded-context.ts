import { type Kysely, sql } from 'kysely';

// The worker's look-ups per comment are bounded (loadCommentContexts): an
// author's record is their latest comments, newest first, so the email and
// identity indexes gain created_at and serve "newest 100" without a sort.
// The old indexes are their prefixes and go.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index comments_site_email_created_idx on comments (site_id, lower(author_email), created_at) where author_email is not null`.execute(
    db,
  );
  await sql`drop index if exists comments_site_email_idx`.execute(db);
  await sql`create index comments_identity_created_idx on comments (site_id, (author_identity->>'issuer'), (author_identity->>'subject'), created_at) where author_identity is not null`.execute(
    db,
  );
  await sql`drop index if exists comments_identity_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists comments_site_email_idx on comments (site_id, lower(author_email)) where author_email is not null`.execute(
    db,
  );
  await sql`drop index if exists comments_site_email_created_idx`.execute(db);
  await sql`create index if not exists comments_identity_idx on comments (site_id, (author_identity->>'issuer'), (author_identity->>'subject')) where author_identity is not null`.execute(
    db,
  );
  await sql`drop index if exists comments_identity_created_idx`.execute(db);
}
