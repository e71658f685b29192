import { type Kysely, sql } from 'kysely';
import { defaultNow, generatedUuid, siteScopedId } from './columns.js';

// Webhooks (with their delivery log) and reply notifications by email
// (double opt-in subscribers and the comments they watch).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .$call(siteScopedId)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'jsonb', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addColumn('updated_at', 'timestamptz', defaultNow)
    .execute();
  await db.schema.createIndex('webhooks_site_idx').on('webhooks').column('site_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'uuid', generatedUuid)
    .addColumn('webhook_id', 'uuid', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The exact body, so every retry signs and sends the same bytes.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('attempt_log', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addColumn('updated_at', 'timestamptz', defaultNow)
    .addColumn('delivered_at', 'timestamptz')
    // One delivery per (webhook, event), whatever Redis forgets: a replayed event sends nothing twice.
    .addUniqueConstraint('webhook_deliveries_event_uq', ['webhook_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_webhook_idx')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('email_subscribers')
    .$call(siteScopedId)
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('locale', 'text')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .addUniqueConstraint('email_subscribers_site_email_uq', ['site_id', 'email'])
    .execute();

  await db.schema
    .createTable('reply_watches')
    .addColumn('comment_id', 'uuid', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'uuid', (c) => c.notNull().references('email_subscribers.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', defaultNow)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reply_watches').ifExists().execute();
  await db.schema.dropTable('email_subscribers').ifExists().execute();
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  await db.schema.dropTable('webhooks').ifExists().execute();
}
