import type { Migration } from 'kysely';
import * as initial from './2026-11-27T10-00-00_initial.js';
import * as spamModel from './2026-11-27T11-00-00_spam-model.js';
import * as webhooksEmail from './2026-11-27T13-41-00_webhooks-email.js';
import * as commenterIdentity from './2026-11-27T14-07-00_commenter-identity.js';
import * as identityNames from './2026-11-27T14-11-00_identity-names.js';
import * as threadApprovedCount from './2026-11-27T14-30-00_thread-approved-count.js';
import * as boundedContext from './2026-12-02T10-00-00_bounded-context.js';
import * as spamSignals from './2026-12-02T11-00-00_spam-signals.js';
import * as readerFeatures from './2026-12-02T12-00-00_reader-features.js';
import * as statsIndexes from './2026-12-02T13-00-00_stats-indexes.js';

/**
 * Every migration, by name. Listed by hand (not read from the folder) so the
 * same list works under tsx, in a bundle and in tests. Names sort by date.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-27T10-00-00_initial': initial,
  '2026-11-27T11-00-00_spam-model': spamModel,
  '2026-11-27T13-41-00_webhooks-email': webhooksEmail,
  '2026-11-27T14-07-00_commenter-identity': commenterIdentity,
  '2026-11-27T14-11-00_identity-names': identityNames,
  '2026-11-27T14-30-00_thread-approved-count': threadApprovedCount,
  '2026-12-02T10-00-00_bounded-context': boundedContext,
  '2026-12-02T11-00-00_spam-signals': spamSignals,
  '2026-12-02T12-00-00_reader-features': readerFeatures,
  '2026-12-02T13-00-00_stats-indexes': statsIndexes,
};
