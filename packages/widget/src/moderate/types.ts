import type { SeriesPoint } from '@stammtisch/contract';

/** Shapes of what the moderation API answers, as far as the page reads them. */

export interface Reason {
  check: string;
  weight: number;
  detail: string;
}

export interface QueueItem {
  id: string;
  site: string;
  thread: { key: string; title: string | null; url: string | null };
  parentId: string | null;
  author: { name: string; email: string | null; url: string | null; verified?: boolean; provider?: string | null };
  body: string;
  html: string;
  status: 'approved' | 'pending' | 'spam' | 'rejected';
  score: number;
  reasons: Reason[];
  reports: number;
  createdAt: string;
  pinned?: boolean;
  /** Earlier texts of an edited comment, oldest first. */
  versions?: Array<{ body: string; editedAt: string }>;
  /** Arrived while the page was open. */
  fresh?: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export type { SeriesPoint };

export interface StatsAnswer {
  series?: SeriesPoint[];
  heldAges?: Array<{ maxSeconds: number | null; n: number }>;
  topReasons?: Array<{ check: string; n: number }>;
}

export interface DecidedEvent {
  id: string;
  status: QueueItem['status'];
  by: string;
}

/** The queue view's state, which its decisions change too. */
export interface QueueState {
  items: QueueItem[];
  /** Index of the current item (the keyboard's cursor). */
  cur: number;
  selected: Set<string>;
  /** Decided here: kept out of reloads until the server has caught up. */
  decided: Set<string>;
  undo: UndoEntry[];
  nextCursor: string | null;
  loading: boolean;
  /** Counts loads, so an answer to an older load is dropped. */
  generation: number;
}

/** A decision the moderator may still undo: what it said, the comments, and the events the server answered with. */
export interface UndoEntry {
  label: string;
  ids: string[];
  events: Promise<string[]>;
}
