import type { Plural } from '../../browser/format.js';

export type QueueName = 'pending' | 'spam' | 'reported' | 'rejected' | 'approved';
export type SortName = 'oldest' | 'newest' | 'priority';
export type DecisionName = 'approve' | 'reject' | 'spam';
export type RoleName = 'admin' | 'owner' | 'moderator';

/**
 * Every string the moderation page shows, on the server (the page itself)
 * and in its script. A language is one object of this shape.
 */
export interface ModerateMessages {
  /** This language's own name, shown on the switch that leads to it. */
  languageName: string;
  /** Accessible name of the language switch. */
  language: string;
  signInTitle: string;
  signInHeading: string;
  keyLabel: string;
  signIn: string;
  unknownKey: string;
  pageTitle: string;
  heading: string;
  views: string;
  viewQueue: string;
  viewStats: string;
  queue: string;
  queues: Record<QueueName, string>;
  sort: string;
  sorts: Record<SortName, string>;
  site: string;
  allSites: string;
  search: string;
  searchPlaceholder: string;
  who: (role: RoleName, siteId: string | null) => string;
  signOut: string;
  hint: string;
  items: string;
  bulk: string;
  bulkAction: Record<DecisionName, string>;
  undo: string;
  help: string;
  helpHeading: string;
  shortcuts: Array<[string, string]>;
  close: string;
  /** Button labels next to each comment. */
  action: Record<DecisionName, string>;
  pin: string;
  unpin: string;
  select: string;
  /** Accessible name of an item's button: the action and whose comment. */
  actionOn: (action: string, author: string) => string;
  /** Status line after a decision: "Approved 3 comments". */
  done: Record<DecisionName, Plural>;
  undoHint: string;
  pinned: string;
  pinnedNow: string;
  unpinnedNow: string;
  notSaved: (why: string) => string;
  nothingToUndo: string;
  undone: (n: number) => string;
  couldNotUndo: (why: string) => string;
  selectFirst: string;
  fresh: string;
  newItems: Plural;
  selected: Plural;
  score: (percent: number) => string;
  reports: Plural;
  verified: string;
  earlierVersions: Plural;
  editedAt: (when: string) => string;
  live: string;
  reconnecting: string;
  decidedElsewhere: (status: string) => string;
  statuses: Record<'approved' | 'pending' | 'spam' | 'rejected', string>;
  /** The statistics view. */
  stats: {
    heading: string;
    range: string;
    days: (n: number) => string;
    site: string;
    chooseSite: string;
    perDay: string;
    perHour: string;
    heldAge: string;
    heldAgeNone: string;
    ageBuckets: string[];
    overrides: string;
    overridesNote: string;
    precision: string;
    recall: string;
    notEnough: string;
    topReasons: string;
    noReasons: string;
    noData: string;
    total: (n: number) => string;
    legendHeld: string;
    falsePositives: string;
    falseNegatives: string;
    loadFailed: (why: string) => string;
  };
}
