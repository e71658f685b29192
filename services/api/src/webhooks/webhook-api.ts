import { WebhookEventType } from '@stammtisch/contract';
import { jsonBody } from '@stammtisch/http';
import { errorResponses, jsonRequestBody, keyRoutesById } from '@stammtisch/contract/http';
import { z } from 'zod';

/** A site's webhooks as declared routes: what `/openapi.json` says, and the schemas the requests are checked with. */

const Events = z
  .array(WebhookEventType)
  .min(1, 'name at least one event')
  .transform((events) => [...new Set(events)]);
const Url = z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');

export const CreateWebhookRequest = z.object({ url: Url, events: Events }).strict();
export const UpdateWebhookRequest = z.object({ url: Url, events: Events, enabled: z.boolean() }).partial().strict();
export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Every webhook route is about a site or a webhook by its `{id}` (checked by the handlers: an unknown one is 404). */
const webhookRoute = keyRoutesById('Administration');

export const createWebhookRoute = webhookRoute({
  method: 'post',
  path: '/v1/admin/sites/{id}/webhooks',
  summary: 'Add a webhook (Standard Webhooks signatures)',
  description: 'Body: `{"url", "events": ["comment.approved", …]}`.',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('CreateWebhookRequest', CreateWebhookRequest) },
  responses: { 201: { description: '`{"id", "secret"}`' } },
});

export const listWebhooksRoute = webhookRoute({
  method: 'get',
  path: '/v1/admin/sites/{id}/webhooks',
  summary: "List a site's webhooks",
  responses: { 200: { description: 'Webhooks' } },
});

export const getWebhookRoute = webhookRoute({
  method: 'get',
  path: '/v1/admin/webhooks/{id}',
  summary: 'A webhook',
  responses: { 200: { description: 'The webhook (never the secret)' }, ...errorResponses({ 404: 'not_found' }) },
});

export const updateWebhookRoute = webhookRoute({
  method: 'patch',
  path: '/v1/admin/webhooks/{id}',
  summary: 'Change a webhook',
  description: 'Body (every field optional): `{"url", "events", "enabled"}`.',
  middleware: [jsonBody()],
  request: { body: jsonRequestBody('UpdateWebhookRequest', UpdateWebhookRequest) },
  responses: { 200: { description: 'The webhook' } },
});

export const enableWebhookRoute = webhookRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{id}/enable',
  summary: 'Enable a webhook that was disabled after failures',
  responses: { 200: { description: 'The webhook' } },
});

export const rotateSecretRoute = webhookRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{id}/rotate-secret',
  summary: "Rotate a webhook's signing secret",
  responses: { 200: { description: '`{"secret"}` (shown once)' } },
});

export const deliveriesRoute = webhookRoute({
  method: 'get',
  path: '/v1/admin/webhooks/{id}/deliveries',
  summary: 'Recent deliveries and their outcome',
  request: { query: DeliveriesQuery },
  responses: { 200: { description: 'Deliveries' } },
});

export const deleteWebhookRoute = webhookRoute({
  method: 'delete',
  path: '/v1/admin/webhooks/{id}',
  summary: 'Remove a webhook',
  responses: { 204: { description: 'Removed' } },
});
