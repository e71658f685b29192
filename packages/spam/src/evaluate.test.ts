import { describe, expect, it } from 'vitest';
import { auc, mcc } from './evaluate.js';

describe('metrics', () => {
  it('computes MCC as 1 for a perfect split and 0 for an empty margin', () => {
    expect(mcc(10, 0, 10, 0)).toBe(1);
    expect(mcc(10, 10, 0, 0)).toBe(0);
  });

  it('computes AUC with ties counted as half', () => {
    expect(
      auc([
        { score: 0.9, positive: true },
        { score: 0.1, positive: false },
      ]),
    ).toBe(1);
    expect(
      auc([
        { score: 0.5, positive: true },
        { score: 0.5, positive: false },
      ]),
    ).toBe(0.5);
  });
});
