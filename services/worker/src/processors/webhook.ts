import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  type DB,
  type Webhook,
  countWebhookFailure,
  findWebhook,
  findWebhookDelivery,
  markWebhookDeliverySkipped,
  recordWebhookAttempt,
  resetWebhookFailures,
} from '@stammtisch/db';
import { type Logger, isPrivateAddress, publicOnlyLookup } from '@stammtisch/http';
import type { WebhookDeliveryJob } from '@stammtisch/contract';

export interface WebhookProcessorDeps {
  db: DB;
  logger: Logger;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback and private addresses too. */
  allowPrivate: boolean;
  /** Deliveries in a row that fail after every retry before the webhook is disabled. */
  disableAfter: number;
  timeoutMs?: number;
}

/**
 * The Standard Webhooks signature: base64 HMAC-SHA256 of "id.timestamp.body",
 * keyed with the base64-decoded part of the `whsec_…` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** `v1,<sig>` for the current secret, plus one for the previous secret while its grace period lasts (space-separated, as the spec allows). */
export function signatureHeader(
  webhook: Pick<Webhook, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  id: string,
  timestamp: number,
  body: string,
  now = new Date(),
): string {
  const secrets = [webhook.secret];
  if (webhook.previousSecret && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now)
    secrets.push(webhook.previousSecret);
  return secrets.map((secret) => `v1,${signWebhook(secret, id, timestamp, body)}`).join(' ');
}

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** One POST; resolves with the status code, whatever it is. Redirects are not followed (a 3xx is a failure). */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An IP literal never goes through `lookup`, so check it here.
    if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) {
      reject(new DeliveryError('url points to a loopback or private address', null));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: publicOnlyLookup({ allowPrivate: options.allowPrivate }),
        timeout: options.timeoutMs,
      },
      (response) => {
        // Drain and drop the answer; only its status matters.
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new DeliveryError(`no answer within ${options.timeoutMs} ms`, null)));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends one delivery. A non-2xx answer or a network error throws, so BullMQ
 * retries with backoff; the last failed attempt marks the delivery failed
 * and counts towards disabling the webhook.
 */
export async function deliverWebhook(
  deps: WebhookProcessorDeps,
  job: WebhookDeliveryJob,
  attempt: { number: number; last: boolean },
): Promise<{ status: 'succeeded' | 'skipped' }> {
  const [delivery, webhook] = await Promise.all([
    findWebhookDelivery(deps.db, job.deliveryId),
    findWebhook(deps.db, job.webhookId),
  ]);
  if (!delivery || !webhook) return { status: 'skipped' };
  if (delivery.status === 'succeeded') return { status: 'succeeded' };
  if (!webhook.enabled) {
    await markWebhookDeliverySkipped(
      deps.db,
      delivery.id,
      `webhook disabled: ${webhook.disabledReason ?? 'by its owner'}`,
    );
    return { status: 'skipped' };
  }

  // webhook-id stays the same on every retry (receivers dedupe by it); the timestamp is this attempt's.
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Stammtisch-Webhooks/1.0',
    'webhook-id': delivery.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(webhook, delivery.eventId, timestamp, delivery.payload),
  };
  const started = Date.now();
  let responseCode: number | null = null;
  let error: string | null = null;
  try {
    responseCode = await post(new URL(webhook.url), headers, delivery.payload, {
      allowPrivate: deps.allowPrivate,
      timeoutMs: deps.timeoutMs ?? 10_000,
    });
    if (responseCode < 200 || responseCode >= 300) error = `receiver answered ${responseCode}`;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const logged = { at: new Date(started).toISOString(), responseCode, error, durationMs: Date.now() - started };

  if (!error) {
    await recordWebhookAttempt(deps.db, delivery.id, logged, 'succeeded');
    await resetWebhookFailures(deps.db, webhook.id);
    return { status: 'succeeded' };
  }
  await recordWebhookAttempt(deps.db, delivery.id, logged, attempt.last ? 'failed' : 'pending');
  if (attempt.last) {
    const disabled = await countWebhookFailure(deps.db, webhook.id, deps.disableAfter);
    if (disabled)
      deps.logger.warn(
        { webhookId: webhook.id, siteId: webhook.siteId },
        'webhook disabled after repeated failed deliveries',
      );
  }
  throw new DeliveryError(error, responseCode);
}
