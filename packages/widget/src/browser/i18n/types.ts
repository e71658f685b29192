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
}
