// The moderation statistics as the api answers them and the moderation page
// reads them (a type only: the page bundles nothing from here).

/** The size of a statistics bucket (UTC). */
export type StatsBucket = 'hour' | 'day';

export interface SeriesPoint {
  /** Start of the bucket (UTC). */
  t: string;
  /** Comments written in the bucket, by their status now (`held`: still waiting). */
  approved: number;
  held: number;
  spam: number;
  rejected: number;
  /** Moderator decisions in the bucket that overturned the spam stage (not undone): falsePositives + falseNegatives. */
  overrides: number;
  /** Filed as spam by the spam stage, approved by a moderator. */
  falsePositives: number;
  /** Published by the spam stage, marked spam by a moderator. */
  falseNegatives: number;
  /** Comments written in the bucket that the spam stage filed as spam (whatever happened after). */
  filteredSpam: number;
}
