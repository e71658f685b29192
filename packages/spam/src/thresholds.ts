// Per-site thresholds that follow the site's moderators, within safe bounds. What their
// overrides say about the stage: approving held comments means it holds too much (raise the
// hold threshold); marking approved comments spam means it lets spam through (lower it);
// approving comments from spam means the spam threshold is too low for this site (raise it).

/** A site's moderator decisions that overturned or confirmed the spam stage (last 90 days). */
export interface Overrides {
  /** Held → approved. */
  heldApproved: number;
  /** Held → spam or rejected: the hold was right. */
  heldRejected: number;
  /** Approved → spam: the stage let spam through. */
  approvedToSpam: number;
  /** Spam → approved: the stage threw a real comment away. */
  spamToApproved: number;
}

/** The bounds no site's moderators can move the thresholds beyond. */
export const THRESHOLD_BOUNDS = { hold: [0.35, 0.7], spam: [0.9, 0.98] } as const;
/** Decisions needed before the moderators' habits count at all. */
const MIN_DECISIONS = 20;

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

/**
 * The thresholds for a site from its defaults and its moderators' overrides. Moves at most
 * ±0.15 on hold and up to +0.08 on spam, never outside THRESHOLD_BOUNDS, and never lowers the
 * spam threshold: sending more to spam is not something a queue's habits may decide.
 */
export function adaptThresholds(base: { hold: number; spam: number }, o: Overrides): { hold: number; spam: number } {
  let hold = base.hold;
  const heldDecisions = o.heldApproved + o.heldRejected;
  if (heldDecisions + o.approvedToSpam >= MIN_DECISIONS) {
    // Share of held comments that were real (0.5 = the hold was a coin toss) raises the bar...
    const realShare = heldDecisions > 0 ? o.heldApproved / heldDecisions : 0.5;
    hold += 0.3 * (realShare - 0.5);
    // ...and leaked spam, relative to all decisions, lowers it.
    hold -= 0.3 * Math.min(0.5, o.approvedToSpam / (heldDecisions + o.approvedToSpam));
    hold = base.hold + Math.max(-0.15, Math.min(0.15, hold - base.hold));
  }
  const spam = base.spam + Math.min(0.08, 0.02 * Math.max(0, o.spamToApproved - 2));
  const out = {
    hold: clamp(hold, THRESHOLD_BOUNDS.hold),
    spam: clamp(Math.max(spam, base.spam), THRESHOLD_BOUNDS.spam),
  };
  if (out.hold > out.spam) out.hold = out.spam;
  return { hold: Math.round(out.hold * 1000) / 1000, spam: Math.round(out.spam * 1000) / 1000 };
}
