/** What the spam stage decides for one comment. Stored as the comment status approved / pending / spam. */
export type Outcome = 'approve' | 'hold' | 'spam';

/** One piece of evidence, stored with the comment so a moderator sees why. */
export interface Reason {
  /** Which check produced it, e.g. `links`, `classifier`. */
  check: string;
  /** Log-odds contribution: positive pushes towards spam, negative towards approval. */
  weight: number;
  /** One human-readable English sentence, e.g. "3 links in the body (limit 2)". */
  detail: string;
}

/** Per-site spam settings; every field is optional and has a safe default. */
export interface SpamSettings {
  /** More links than this in body + author url counts against the comment (default 2). */
  maxLinks?: number;
  /** Any of these (whole words or phrases, `*` as a word-suffix wildcard) sends the comment to spam. */
  bannedWords?: string[];
  /** Any of these (matched inside words too) holds the comment for a moderator. */
  suspectWords?: string[];
  /** Hold the comment when the author has no approved comment on the site yet. */
  holdFirstTimeAuthors?: boolean;
  /** Score thresholds in auto mode (default hold 0.5, spam 0.9). */
  thresholds?: { hold: number; spam: number };
}

export interface CommentCandidate {
  body: string;
  author: { name: string; email?: string | null; url?: string | null };
  /** Value of the hidden form field; humans never fill it. */
  honeypot?: string | null;
  /** Epoch ms when the widget rendered the form. */
  renderedAt?: number | null;
  /** Epoch ms when ingest received the comment. */
  receivedAt: number;
  /** The author proved the email address (or is signed in). */
  verified?: boolean;
}

/** Facts only the worker can look up; all optional, the eval CLI has none of them. */
export interface LiveContext {
  /** Prior comments by the same email (or name+ip) on this site. */
  authorHistory?: { approved: number; spam: number; rejected: number };
  /** Same normalized body on this site in the last 24 h. */
  recentDuplicates?: number;
  /** Comments in the last 10 minutes. */
  burst?: { sameIp: number; sameEmail: number };
  /** What moderators on any site of the installation marked spam (campaign.ts; hashes and fingerprints only). */
  campaign?: CampaignMatches;
}

/** On how many distinct sites a comment's campaign signals were marked spam. */
export interface CampaignMatches {
  /** Near copies of the text (SimHash). */
  textSites: number;
  /** The comment's link domains with the number of sites that marked them, most first. */
  domains: Array<{ domain: string; sites: number }>;
  emailSites: number;
  ipSites: number;
}

export interface Verdict {
  /** Spam probability-like score in [0, 1]. */
  score: number;
  outcome: Outcome;
  reasons: Reason[];
  /** Set when a rule decided whatever the score: a honeypot, banned word or campaign ('spam'), a suspect word or first-time author ('hold'). */
  forced?: 'spam' | 'hold';
}

export type Mode = 'auto' | 'pre' | 'post';

/** Token counts of a naive Bayes model; the worker keeps a site's counts in Postgres. */
export interface TokenCounts {
  spamDocs: number;
  hamDocs: number;
  tokens: Map<string, { spam: number; ham: number }>;
}
