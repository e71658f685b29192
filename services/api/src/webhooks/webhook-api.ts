import { WebhookEventType } from '@stammtisch/contract';
import { TAGS } from '@stammtisch/contract/http';
import { z } from 'zod';
import { keyRoutes } from '../shared/routes.js';

/** A site's webhooks as declared routes: what `/openapi.json` says, and the schemas the requests are checked with. */

const Events = z
  .array(WebhookEventType)
  .min(1, 'name at least one event')
  .transform((events) => [...new Set(events)]);
const Url = z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');

export const CreateWebhookRequest = z.object({ url: Url, events: Events }).strict();
export const UpdateWebhookRequest = z.object({ url: Url, events: Events, enabled: z.boolean() }).partial().strict();
export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

// Every webhook route is about a site or a webhook by its `{id}` (checked by the handlers: an unknown one is 404).
const admin = keyRoutes(TAGS.administration);

export const createWebhookRoute = admin.post(
  '/v1/admin/sites/{id}/webhooks',
  'Add a webhook (Standard Webhooks signatures)',
  {
    description: 'Body: `{"url", "events": ["comment.approved", …]}`.',
    body: { CreateWebhookRequest },
    answers: { 201: '`{"id", "secret"}`' },
  },
);

export const listWebhooksRoute = admin.get('/v1/admin/sites/{id}/webhooks', "List a site's webhooks", {
  answers: { 200: 'Webhooks' },
});

export const getWebhookRoute = admin.get('/v1/admin/webhooks/{id}', 'A webhook', {
  answers: { 200: 'The webhook (never the secret)', 404: 'not_found' },
});

export const updateWebhookRoute = admin.patch('/v1/admin/webhooks/{id}', 'Change a webhook', {
  description: 'Body (every field optional): `{"url", "events", "enabled"}`.',
  body: { UpdateWebhookRequest },
  answers: { 200: 'The webhook' },
});

export const enableWebhookRoute = admin.post(
  '/v1/admin/webhooks/{id}/enable',
  'Enable a webhook that was disabled after failures',
  { answers: { 200: 'The webhook' } },
);

export const rotateSecretRoute = admin.post(
  '/v1/admin/webhooks/{id}/rotate-secret',
  "Rotate a webhook's signing secret",
  { answers: { 200: '`{"secret"}` (shown once)' } },
);

export const deliveriesRoute = admin.get('/v1/admin/webhooks/{id}/deliveries', 'Recent deliveries and their outcome', {
  query: DeliveriesQuery,
  answers: { 200: 'Deliveries' },
});

export const deleteWebhookRoute = admin.delete('/v1/admin/webhooks/{id}', 'Remove a webhook', {
  answers: { 204: 'Removed' },
});
