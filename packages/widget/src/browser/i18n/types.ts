import type { Plural } from '../format.js';

/** Every string the widget shows. A language is one object of this shape. */
export interface Messages {
  /** Accessible name of the widget region, and its heading while loading. */
  region: string;
  /** "# comments": heading and `data-comment-count` spans. */
  count: Plural;
  /** Heading of a thread without comments. */
  none: string;
  loading: string;
  loadFailed: string;
  siteUnknown: string;
  retry: string;
  sort: string;
  oldest: string;
  newest: string;
  more: string;
  reply: string;
  /** Form heading while replying. */
  replyTo: (name: string) => string;
  /** Marker on a reply shown flattened next to its parent. */
  inReplyTo: (name: string) => string;
  write: string;
  name: string;
  email: string;
  /** The reply-notification checkbox next to the email field. */
  notify: string;
  url: string;
  body: string;
  /** The Markdown subset the server renders. */
  hint: string;
  /** Label of the honeypot (hidden from people and screen readers). */
  hp: string;
  send: string;
  sending: string;
  cancel: string;
  pending: string;
  verified: (provider?: string) => string;
  /** Sign-in button of one identity provider. */
  signIn: (provider: string) => string;
  signedIn: (name: string, provider: string) => string;
  signOut: string;
  posted: string;
  approved: string;
  rejected: string;
  closed: string;
  errName: string;
  errEmail: string;
  errUrl: string;
  errBody: string;
  errCheck: string;
  /** `when` is "in 30 seconds" in the same language. */
  errRate: (when: string) => string;
  errBusy: string;
  errOrigin: string;
  errNetwork: string;
  errGeneric: string;
  /** Sort option by votes (Wilson lower bound). */
  best: string;
  /** Announced when the live stream brings new comments. */
  fresh: Plural;
  /** Up- and down-vote buttons (accessible names; the count is shown next to them). */
  up: string;
  down: string;
  /** Marker on a comment its writer changed. */
  edited: string;
  /** Badge of a comment a moderator pinned. */
  pinned: string;
  /** Placeholder of a deleted comment that still has replies. */
  deleted: string;
  edit: string;
  del: string;
  /** Second click of the two-step delete. */
  delSure: string;
  save: string;
  /** After an edit was sent: it is checked again before it shows. */
  editSent: string;
  editClosed: string;
}
