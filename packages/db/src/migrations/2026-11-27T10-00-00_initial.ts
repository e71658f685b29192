import { type Kysely, sql } from 'kysely';
import { defaultNow, siteReference, siteScopedId } from './columns.js';

// Migrations take Kysely<unknown> and never import app code: they must keep
// working unchanged long after the schema types have moved on.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origins', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('moderation', 'text', (c) =>
      c.notNull().defaultTo('auto').check(sql`moderation in ('auto','pre','post')`),
    )
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addColumn('updated_at', 'timestamptz', defaultNow)
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','owner','moderator')`))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('threads')
    .$call(siteScopedId)
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('url', 'text')
    .addColumn('closed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addUniqueConstraint('threads_site_key_unique', ['site_id', 'key'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('site_id', 'text', siteReference)
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('parent_id', 'uuid')
    .addColumn('root_id', 'uuid', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text')
    .addColumn('author_url', 'text')
    .addColumn('author_ip_hash', 'text')
    .addColumn('author_identity', 'jsonb')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('approved','pending','spam','rejected')`))
    .addColumn('score', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', defaultNow)
    .addColumn('decided_at', 'timestamptz')
    .execute();

  // The read path: approved top-level comments of a thread in keyset order, then their replies by root.
  await sql`create index comments_thread_approved_idx on comments (thread_id, created_at, id) where status = 'approved' and parent_id is null`.execute(
    db,
  );
  await sql`create index comments_thread_root_idx on comments (thread_id, root_id, created_at) where status = 'approved'`.execute(
    db,
  );
  await sql`create index comments_thread_status_idx on comments (thread_id, status)`.execute(db);
  // The moderation queues, newest/oldest first per site and status.
  await sql`create index comments_site_status_created_idx on comments (site_id, status, created_at, id)`.execute(db);
  // Spam context: duplicates and author history.
  await sql`create index comments_site_body_hash_idx on comments (site_id, body_hash, created_at)`.execute(db);
  await sql`create index comments_site_email_idx on comments (site_id, lower(author_email)) where author_email is not null`.execute(
    db,
  );
  await sql`create index comments_site_ip_idx on comments (site_id, author_ip_hash, created_at) where author_ip_hash is not null`.execute(
    db,
  );

  await db.schema
    .createTable('moderation_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('site_id', 'text', siteReference)
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('actor_key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('undo_of', 'bigint')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .execute();
  await sql`create index moderation_events_site_idx on moderation_events (site_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index moderation_events_comment_idx on moderation_events (comment_id, created_at desc)`.execute(db);

  await db.schema
    .createTable('bans')
    .$call(siteScopedId)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('email','ip','word','identity')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('shadow', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addUniqueConstraint('bans_site_kind_value_unique', ['site_id', 'kind', 'value'])
    .execute();

  await db.schema
    .createTable('reports')
    .$call(siteScopedId)
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam','abuse','off_topic','other')`))
    .addColumn('note', 'text')
    .addColumn('reporter_ip_hash', 'text')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .execute();
  // One report per reader and comment: a reader cannot push a comment up the queue alone.
  await sql`create unique index reports_comment_reporter_idx on reports (comment_id, reporter_ip_hash)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reports', 'bans', 'moderation_events', 'comments', 'threads', 'api_keys', 'sites']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
