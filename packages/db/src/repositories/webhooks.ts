import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { deleteById, insertUnlessExists } from './rows.js';
import type { Webhook, WebhookAttempt, WebhookDelivery, WebhookEventType } from '../schema.js';

export async function createWebhook(
  db: DB,
  input: { siteId: string; url: string; events: WebhookEventType[]; secret: string },
): Promise<Webhook> {
  return db
    .insertInto('webhooks')
    .values({ siteId: input.siteId, url: input.url, events: JSON.stringify(input.events), secret: input.secret })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findWebhook(db: DB, id: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhooks(db: DB, siteId: string): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().where('siteId', '=', siteId).orderBy('createdAt').execute();
}

/** The event types the site's enabled webhooks subscribe to (each type once). */
export async function listSubscribedEventTypes(db: DB, siteId: string): Promise<string[]> {
  const enabled = (await listWebhooks(db, siteId)).filter((w) => w.enabled);
  return [...new Set(enabled.flatMap((w) => w.events as string[]))];
}

/** The site's enabled webhooks that subscribed to `type`. */
export async function findWebhooksForEvent(db: DB, siteId: string, type: WebhookEventType): Promise<Webhook[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('enabled', '=', true)
    .where(sql<boolean>`events @> ${JSON.stringify([type])}::jsonb`)
    .execute();
}

export async function updateWebhook(
  db: DB,
  id: string,
  patch: { url?: string; events?: WebhookEventType[]; enabled?: boolean },
): Promise<Webhook | undefined> {
  return db
    .updateTable('webhooks')
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.events !== undefined && { events: JSON.stringify(patch.events) }),
      // Re-enabling starts the failure count afresh.
      ...(patch.enabled === true && { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 }),
      ...(patch.enabled === false && {
        enabled: false,
        disabledReason: 'disabled by a site owner',
        disabledAt: new Date(),
      }),
      updatedAt: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Replaces the secret; the old one keeps signing (alongside) until `graceUntil`. */
export async function rotateWebhookSecret(
  db: DB,
  id: string,
  secret: string,
  graceUntil: Date,
): Promise<Webhook | undefined> {
  return db
    .updateTable('webhooks')
    .set((eb) => ({
      previousSecret: eb.ref('secret'),
      previousSecretExpiresAt: graceUntil,
      secret,
      updatedAt: new Date(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export const deleteWebhook = (db: DB, id: string): Promise<boolean> => deleteById(db, 'webhooks', id);

/**
 * Records that `event` goes to `webhookId`. Returns the new delivery's id, or
 * null when this (webhook, event) pair was recorded before: the caller then
 * sends nothing, so a replayed event never reaches a receiver twice.
 */
export async function recordWebhookDelivery(
  db: DB,
  input: { webhookId: string; eventId: string; eventType: WebhookEventType; payload: string },
): Promise<string | null> {
  return (await insertUnlessExists(db, 'webhookDeliveries', input, ['webhookId', 'eventId'])) ?? null;
}

export async function findWebhookDelivery(db: DB, id: string): Promise<WebhookDelivery | undefined> {
  return db.selectFrom('webhookDeliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhookDeliveries(db: DB, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('webhookId', '=', webhookId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Appends one attempt to a delivery's log and sets its status. */
export async function recordWebhookAttempt(
  db: DB,
  deliveryId: string,
  attempt: WebhookAttempt,
  status: 'pending' | 'succeeded' | 'failed' | 'skipped',
): Promise<void> {
  await db
    .updateTable('webhookDeliveries')
    .set({
      status,
      attempts: sql`attempts + 1`,
      responseCode: attempt.responseCode,
      lastError: attempt.error,
      attemptLog: sql`attempt_log || ${JSON.stringify([attempt])}::jsonb`,
      updatedAt: new Date(),
      ...(status === 'succeeded' && { deliveredAt: new Date() }),
    })
    .where('id', '=', deliveryId)
    .execute();
}

export async function markWebhookDeliverySkipped(db: DB, deliveryId: string, reason: string): Promise<void> {
  await db
    .updateTable('webhookDeliveries')
    .set({ status: 'skipped', lastError: reason, updatedAt: new Date() })
    .where('id', '=', deliveryId)
    .execute();
}

export async function resetWebhookFailures(db: DB, webhookId: string): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ consecutiveFailures: 0 })
    .where('id', '=', webhookId)
    .where('consecutiveFailures', '>', 0)
    .execute();
}

/**
 * Counts a delivery that failed after every retry, and disables the webhook
 * when `disableAfter` such failures come in a row. Returns whether this call disabled it.
 */
export async function countWebhookFailure(db: DB, webhookId: string, disableAfter: number): Promise<boolean> {
  const row = await db
    .updateTable('webhooks')
    .set({ consecutiveFailures: sql`consecutive_failures + 1`, updatedAt: new Date() })
    .where('id', '=', webhookId)
    .returning(['consecutiveFailures', 'enabled'])
    .executeTakeFirst();
  if (!row?.enabled || row.consecutiveFailures < disableAfter) return false;
  const disabled = await db
    .updateTable('webhooks')
    .set({
      enabled: false,
      disabledAt: new Date(),
      disabledReason: `${row.consecutiveFailures} deliveries in a row failed after every retry`,
      updatedAt: new Date(),
    })
    .where('id', '=', webhookId)
    .where('enabled', '=', true)
    .executeTakeFirst();
  return disabled.numUpdatedRows > 0n;
}

export async function findWebhookDeliveryByEvent(
  db: DB,
  webhookId: string,
  eventId: string,
): Promise<WebhookDelivery | undefined> {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('webhookId', '=', webhookId)
    .where('eventId', '=', eventId)
    .executeTakeFirst();
}
