import { randomBytes } from 'node:crypto';
import {
  type DB,
  type Webhook,
  createWebhook,
  deleteWebhook,
  findWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
} from '@stammtisch/db';
import { AppError, checkOutgoingUrl, openApiRouter } from '@stammtisch/http';
import { type AuthEnv, type Principal, accessibleSite, assertSiteAccess } from '../auth.js';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  deliveriesRoute,
  enableWebhookRoute,
  getWebhookRoute,
  listWebhooksRoute,
  rotateSecretRoute,
  updateWebhookRoute,
} from './webhook-api.js';

export interface WebhookRoutesDeps {
  db: DB;
  /** WEBHOOK_ALLOW_PRIVATE: accept URLs on loopback and private addresses. */
  allowPrivate: boolean;
  /** How long a rotated-out secret keeps signing alongside the new one. */
  rotationGraceMs?: number;
  /** Tells workers a site's webhooks changed: they only queue events someone listens to. */
  onSiteChanged?: (siteId: string) => Promise<void>;
}

/** Standard Webhooks secrets: `whsec_` + base64 of 24 random bytes (the HMAC key is the decoded bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function toWebhookView(webhook: Webhook) {
  return {
    id: webhook.id,
    site: webhook.siteId,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
    consecutiveFailures: webhook.consecutiveFailures,
    previousSecretExpiresAt:
      webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > new Date()
        ? webhook.previousSecretExpiresAt.toISOString()
        : null,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

/** `/v1/admin/…/webhooks`: owners register receivers for comment events. Mounted behind `requireKey`. */
export function webhookRoutes(deps: WebhookRoutesDeps) {
  const app = openApiRouter<AuthEnv>();
  const graceMs = deps.rotationGraceMs ?? 24 * 3600 * 1000;

  async function assertUrl(url: string): Promise<void> {
    const problem = await checkOutgoingUrl(url, { allowPrivate: deps.allowPrivate });
    if (problem) throw new AppError('invalid_request', `url: ${problem}`, [{ path: 'url', message: problem }]);
  }

  async function webhookFor(principal: Principal, id: string): Promise<Webhook> {
    // Ids of other sites' webhooks read as unknown: 404, never 403.
    const webhook = /^[0-9a-f-]{36}$/i.test(id) ? await findWebhook(deps.db, id) : undefined;
    if (!webhook) throw new AppError('not_found', 'no such webhook');
    assertSiteAccess(principal, webhook.siteId, ['owner'], 'not_found');
    return webhook;
  }

  app.openapi(createWebhookRoute, async (c) => {
    const { id: siteId } = await accessibleSite(deps.db, c.get('principal'), c.req.valid('param').id);
    const input = c.req.valid('json');
    await assertUrl(input.url);
    const secret = newWebhookSecret();
    const webhook = await createWebhook(deps.db, { siteId, url: input.url, events: input.events, secret });
    await deps.onSiteChanged?.(siteId);
    // The secret is shown here and on rotation; listings never include it.
    return c.json({ ...toWebhookView(webhook), secret }, 201);
  });

  app.openapi(listWebhooksRoute, async (c) => {
    const { id: siteId } = await accessibleSite(deps.db, c.get('principal'), c.req.valid('param').id);
    return c.json({ webhooks: (await listWebhooks(deps.db, siteId)).map(toWebhookView) });
  });

  app.openapi(getWebhookRoute, async (c) =>
    c.json(toWebhookView(await webhookFor(c.get('principal'), c.req.valid('param').id))),
  );

  app.openapi(updateWebhookRoute, async (c) => {
    const webhook = await webhookFor(c.get('principal'), c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.url !== undefined) await assertUrl(patch.url);
    const updated = await updateWebhook(deps.db, webhook.id, patch);
    await deps.onSiteChanged?.(webhook.siteId);
    return c.json(toWebhookView(updated ?? webhook));
  });

  // Re-enabling after automatic disabling, for clients that prefer a verb to a PATCH.
  app.openapi(enableWebhookRoute, async (c) => {
    const webhook = await webhookFor(c.get('principal'), c.req.valid('param').id);
    const enabled = await updateWebhook(deps.db, webhook.id, { enabled: true });
    await deps.onSiteChanged?.(webhook.siteId);
    return c.json(toWebhookView(enabled ?? webhook));
  });

  app.openapi(rotateSecretRoute, async (c) => {
    const webhook = await webhookFor(c.get('principal'), c.req.valid('param').id);
    const secret = newWebhookSecret();
    const rotated = await rotateWebhookSecret(deps.db, webhook.id, secret, new Date(Date.now() + graceMs));
    return c.json({ ...toWebhookView(rotated ?? webhook), secret });
  });

  app.openapi(deliveriesRoute, async (c) => {
    const webhook = await webhookFor(c.get('principal'), c.req.valid('param').id);
    const deliveries = await listWebhookDeliveries(deps.db, webhook.id, c.req.valid('query').limit);
    return c.json({
      deliveries: deliveries.map((d) => ({
        id: d.id,
        eventId: d.eventId,
        type: d.eventType,
        status: d.status,
        attempts: d.attempts,
        responseCode: d.responseCode,
        lastError: d.lastError,
        attemptLog: d.attemptLog,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
      })),
    });
  });

  app.openapi(deleteWebhookRoute, async (c) => {
    const webhook = await webhookFor(c.get('principal'), c.req.valid('param').id);
    await deleteWebhook(deps.db, webhook.id);
    await deps.onSiteChanged?.(webhook.siteId);
    return c.body(null, 204);
  });

  return app;
}
