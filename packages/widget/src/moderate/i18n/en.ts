import type { Plural } from '../../browser/format.js';
import type { DecisionName, QueueName, RoleName, SortName } from './types.js';

/**
 * Every string the moderation page shows, on the server (the page itself)
 * and in its script, in English. This catalog is the shape of every language
 * (`ModerateMessages` is its type): another language has exactly its keys.
 */
export const en = {
  /** This language's own name, shown on the switch that leads to it. */
  languageName: 'English',
  /** Accessible name of the language switch. */
  language: 'Language',
  signInTitle: 'Sign in · Stammtisch moderation',
  signInHeading: 'Stammtisch moderation',
  keyLabel: 'Moderator, owner or admin key',
  signIn: 'Sign in',
  unknownKey: 'That key is unknown or revoked.',
  pageTitle: 'Moderation · Stammtisch',
  heading: 'Moderation',
  views: 'View',
  viewQueue: 'Queue',
  viewStats: 'Statistics',
  queue: 'Queue',
  queues: {
    pending: 'held',
    spam: 'spam',
    reported: 'reported',
    rejected: 'rejected',
    approved: 'approved',
  } satisfies Record<QueueName, string>,
  sort: 'Sort',
  sorts: { oldest: 'oldest', newest: 'newest', priority: 'priority' } satisfies Record<SortName, string>,
  site: 'Site',
  allSites: 'all mine',
  search: 'Search',
  searchPlaceholder: '/ search text, author, email',
  who: (role: RoleName, siteId: string | null) => (role === 'admin' ? 'admin' : `${role} of ${siteId}`),
  signOut: 'Sign out',
  hint: 'Press ? for keyboard shortcuts.',
  items: 'Comments',
  bulk: 'Selection',
  bulkAction: {
    approve: 'Approve selected',
    reject: 'Reject selected',
    spam: 'Mark selected as spam',
  } satisfies Record<DecisionName, string>,
  undo: 'Undo',
  help: 'Shortcuts',
  helpHeading: 'Keyboard',
  shortcuts: [
    ['j / k', 'next / previous comment'],
    ['a', 'approve'],
    ['r', 'reject'],
    ['s', 'spam'],
    ['p', 'pin / unpin'],
    ['x', 'select / unselect'],
    ['shift+a', 'approve the selection (shift+r, shift+s: reject, spam)'],
    ['u', 'undo the last decision'],
    ['/', 'search'],
    ['?', 'this help'],
  ] satisfies Array<[string, string]>,
  close: 'Close (Esc)',
  /** Button labels next to each comment. */
  action: { approve: 'Approve', reject: 'Reject', spam: 'Spam' } satisfies Record<DecisionName, string>,
  pin: 'Pin',
  unpin: 'Unpin',
  select: 'Select',
  /** Accessible name of an item's button: the action and whose comment. */
  actionOn: (action: string, author: string) => `${action}: comment by ${author}`,
  /** Status line after a decision: "Approved 3 comments". */
  done: {
    approve: { one: 'Approved # comment', other: 'Approved # comments' },
    reject: { one: 'Rejected # comment', other: 'Rejected # comments' },
    spam: { one: 'Marked # comment as spam', other: 'Marked # comments as spam' },
  } satisfies Record<DecisionName, Plural>,
  undoHint: ' — u to undo',
  pinned: 'pinned',
  pinnedNow: 'Comment pinned',
  unpinnedNow: 'Comment unpinned',
  notSaved: (why: string) => `Not saved: ${why}`,
  nothingToUndo: 'Nothing to undo',
  undone: (n: number) =>
    n === 1 ? 'Undone: 1 comment is back where it was' : `Undone: ${n} comments are back where they were`,
  couldNotUndo: (why: string) => `Could not undo: ${why}`,
  selectFirst: 'Select comments with x or the checkbox first',
  fresh: 'new',
  newItems: { one: '# new comment', other: '# new comments' },
  selected: { one: '# selected', other: '# selected' },
  score: (percent: number) => `spam ${percent}%`,
  reports: { one: '# report', other: '# reports' },
  verified: 'verified',
  earlierVersions: { one: 'Earlier version (#)', other: 'Earlier versions (#)' },
  editedAt: (when: string) => `until ${when}`,
  live: 'Live: new comments appear at once.',
  reconnecting: 'Connection lost — reconnecting…',
  decidedElsewhere: (status: string) => `Decided elsewhere: ${status}`,
  statuses: { approved: 'approved', pending: 'held', spam: 'spam', rejected: 'rejected' } satisfies Record<
    'approved' | 'pending' | 'spam' | 'rejected',
    string
  >,
  /** The statistics view. */
  stats: {
    heading: 'Statistics',
    range: 'Period',
    days: (n: number) => (n === 1 ? 'last day (hourly)' : `last ${n} days`),
    site: 'Site',
    chooseSite: 'Please choose a site.',
    perDay: 'Comments per day by outcome',
    perHour: 'Comments per hour by outcome',
    heldAge: 'Age of the held queue',
    heldAgeNone: 'Nothing is waiting.',
    ageBuckets: ['< 1 h', '1–6 h', '6–24 h', '1–3 days', '> 3 days'],
    overrides: 'How often moderators overrule the filter',
    overridesNote:
      "Precision: share of the filter's spam calls that moderators let stand. Recall: share of the spam that the filter caught itself.",
    precision: 'Precision',
    recall: 'Recall',
    notEnough: 'not enough data',
    topReasons: 'Top reasons for spam and holds',
    noReasons: 'No reasons in this period.',
    noData: 'No comments in this period.',
    total: (n: number) => `${n} in total`,
    legendHeld: 'held',
    falsePositives: 'spam → approved',
    falseNegatives: 'approved → spam',
    loadFailed: (why: string) => `The statistics could not be loaded: ${why}`,
  },
};
