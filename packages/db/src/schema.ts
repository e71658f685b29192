import type {
  CommentTable,
  CommentVersionTable,
  CommentVoteTable,
  ReportTable,
  ThreadTable,
} from './schema/comments.js';
import type { EmailVerificationTable, IdentityProviderTable, VerifiedEmailTable } from './schema/identity.js';
import type {
  BanTable,
  ModerationEventTable,
  SpamModelTable,
  SpamSignalTable,
  SpamTokenCountTable,
} from './schema/moderation.js';
import type {
  EmailSubscriberTable,
  ReplyWatchTable,
  WebhookDeliveryTable,
  WebhookTable,
} from './schema/notifications.js';
import type { ApiKeyTable, SiteTable } from './schema/sites.js';

// The database as Kysely sees it. Each table's type lives with its domain under
// schema/; this file names the tables and re-exports the row types.

export * from './schema/comments.js';
export * from './schema/identity.js';
export * from './schema/moderation.js';
export * from './schema/notifications.js';
export * from './schema/sites.js';

export interface Database {
  sites: SiteTable;
  apiKeys: ApiKeyTable;
  threads: ThreadTable;
  comments: CommentTable;
  commentVotes: CommentVoteTable;
  commentVersions: CommentVersionTable;
  moderationEvents: ModerationEventTable;
  bans: BanTable;
  reports: ReportTable;
  spamModels: SpamModelTable;
  spamTokenCounts: SpamTokenCountTable;
  spamSignals: SpamSignalTable;
  webhooks: WebhookTable;
  webhookDeliveries: WebhookDeliveryTable;
  emailSubscribers: EmailSubscriberTable;
  replyWatches: ReplyWatchTable;
  identityProviders: IdentityProviderTable;
  emailVerifications: EmailVerificationTable;
  verifiedEmails: VerifiedEmailTable;
}
