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

export interface SeriesPoint {
  t: string;
  approved: number;
  held: number;
  spam: number;
  rejected: number;
  overrides: number;
  falsePositives?: number;
  falseNegatives?: number;
  filteredSpam?: number;
}

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

/** A decision the moderator may still undo: what it said, the comments, and the events the server answered with. */
export interface UndoEntry {
  label: string;
  ids: string[];
  events: Promise<string[]>;
}
