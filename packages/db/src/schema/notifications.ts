import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, Timestamp } from './columns.js';

// Who hears about comments: webhooks and their deliveries, email subscribers and the replies they watch.

export type WebhookEventType =
  | 'comment.received'
  | 'comment.approved'
  | 'comment.held'
  | 'comment.spam'
  | 'comment.rejected'
  | 'comment.reported';

export interface WebhookTable {
  id: Generated<string>;
  siteId: string;
  url: string;
  events: Json<WebhookEventType[]>;
  /** `whsec_<base64>`; kept in clear because every delivery is signed with it. */
  secret: string;
  /** The secret before the last rotation; deliveries are signed with both until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: Timestamp | null;
  enabled: Generated<boolean>;
  disabledReason: string | null;
  disabledAt: Timestamp | null;
  /** Deliveries in a row that failed after every retry; reset by a success. */
  consecutiveFailures: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type Webhook = Selectable<WebhookTable>;

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

export interface WebhookAttempt {
  at: string;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  payload: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  responseCode: number | null;
  lastError: string | null;
  attemptLog: ColumnType<WebhookAttempt[], string | undefined, string>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  deliveredAt: Timestamp | null;
}

export type WebhookDelivery = Selectable<WebhookDeliveryTable>;

export type EmailSubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed';

export interface EmailSubscriberTable {
  id: Generated<string>;
  siteId: string;
  /** Lowercased. */
  email: string;
  status: Generated<EmailSubscriberStatus>;
  /** Random; in the confirm and unsubscribe links. */
  token: string;
  locale: string | null;
  createdAt: Generated<Date>;
  confirmedAt: Timestamp | null;
  unsubscribedAt: Timestamp | null;
}

export type EmailSubscriber = Selectable<EmailSubscriberTable>;

export interface ReplyWatchTable {
  commentId: string;
  subscriberId: string;
  createdAt: Generated<Date>;
}
