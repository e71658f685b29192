import { describe, expect, it } from 'vitest';
import { THRESHOLD_BOUNDS, adaptThresholds } from './thresholds.js';

const base = { hold: 0.5, spam: 0.9 };
const none = { heldApproved: 0, heldRejected: 0, approvedToSpam: 0, spamToApproved: 0 };

describe('per-site thresholds from moderator overrides', () => {
  it('keeps the defaults until enough decisions exist', () => {
    expect(adaptThresholds(base, none)).toEqual(base);
    expect(adaptThresholds(base, { ...none, heldApproved: 10 })).toEqual(base);
  });

  it('holds less where moderators approve most held comments, more where spam slips through', () => {
    expect(adaptThresholds(base, { ...none, heldApproved: 45, heldRejected: 5 }).hold).toBeGreaterThan(0.6);
    expect(
      adaptThresholds(base, { ...none, heldApproved: 10, heldRejected: 20, approvedToSpam: 15 }).hold,
    ).toBeLessThan(0.42);
  });

  it('raises the spam threshold after real comments were rescued from spam, and never lowers it', () => {
    expect(adaptThresholds(base, { ...none, spamToApproved: 6 }).spam).toBeCloseTo(0.98, 3);
    expect(adaptThresholds(base, { ...none, heldRejected: 500, approvedToSpam: 500 }).spam).toBe(0.9);
  });

  it('stays within the safe bounds whatever the moderators do', () => {
    for (const o of [
      { heldApproved: 10_000, heldRejected: 0, approvedToSpam: 0, spamToApproved: 10_000 },
      { heldApproved: 0, heldRejected: 10_000, approvedToSpam: 10_000, spamToApproved: 0 },
    ]) {
      const t = adaptThresholds(base, o);
      expect(t.hold).toBeGreaterThanOrEqual(THRESHOLD_BOUNDS.hold[0]);
      expect(t.hold).toBeLessThanOrEqual(THRESHOLD_BOUNDS.hold[1]);
      expect(t.spam).toBeGreaterThanOrEqual(THRESHOLD_BOUNDS.spam[0]);
      expect(t.spam).toBeLessThanOrEqual(THRESHOLD_BOUNDS.spam[1]);
      expect(t.hold).toBeLessThanOrEqual(t.spam);
    }
  });
});
