import { describe, expect, it } from 'vitest';
import { loadBaseModel } from './base-model.js';
import { classifyComment, lessonFor } from './classify.js';
import { looksEnglish } from './language.js';
import type { CommentCandidate, SpamSettings } from './types.js';

const model = loadBaseModel();
const now = 1_700_000_000_000;

function candidate(body: string, extra: Partial<CommentCandidate> = {}): CommentCandidate {
  return {
    body,
    author: { name: 'Anna Weber', email: 'anna@example.org' },
    renderedAt: now - 90_000,
    receivedAt: now,
    ...extra,
  };
}

function classify(c: CommentCandidate, settings: SpamSettings = {}, mode: 'auto' | 'pre' | 'post' = 'auto') {
  return classifyComment(c, { settings, model, mode });
}

describe('classifyComment', () => {
  it('approves a German comment with umlauts from a real reader', () => {
    const verdict = classify(
      candidate(
        'Danke für den ausführlichen Artikel! Die Erklärung zur Grundsteuer hat mir sehr geholfen, gerade der Abschnitt über Fristen.',
      ),
    );
    expect(verdict.outcome).toBe('approve');
    expect(verdict.score).toBeLessThan(0.5);
  });

  it('approves a short English reply', () => {
    expect(
      classify(candidate('Great point about the caching layer, I ran into the same issue last year.')).outcome,
    ).toBe('approve');
  });

  it('sends two shortened links and a casino offer to spam', () => {
    const verdict = classify(
      candidate('Best online casino bonus, win money now!! http://bit.ly/3xYz and https://tinyurl.com/casino-win'),
    );
    expect(verdict.outcome).toBe('spam');
    expect(verdict.reasons.some((r) => r.check === 'links' && r.detail.includes('shortened'))).toBe(true);
  });

  it('marks a filled honeypot as spam in every mode', () => {
    for (const mode of ['auto', 'pre', 'post'] as const) {
      const verdict = classify(candidate('Nice article, thanks.', { honeypot: 'http://example.com' }), {}, mode);
      expect(verdict.outcome).toBe('spam');
      expect(verdict.reasons[0]?.check).toBe('honeypot');
    }
  });

  it('sends a banned word to spam with a reason naming the word, even in post mode', () => {
    const verdict = classify(candidate('Ich empfehle Viagra günstig.'), { bannedWords: ['viagra'] }, 'post');
    expect(verdict.outcome).toBe('spam');
    expect(verdict.reasons.find((r) => r.check === 'banned-word')?.detail).toContain('"viagra"');
  });

  it('matches banned words as whole words, so "class" does not trip "ass"', () => {
    const verdict = classify(candidate('This class of bugs is common.'), { bannedWords: ['ass'] });
    expect(verdict.reasons.some((r) => r.check === 'banned-word')).toBe(false);
  });

  it('matches banned words across umlaut spellings and with a * suffix', () => {
    expect(classify(candidate('Jetzt Sofortkredite fuer alle'), { bannedWords: ['sofortkredit*'] }).outcome).toBe(
      'spam',
    );
    expect(classify(candidate('Günstige Krédite'), { bannedWords: ['krédite'] }).outcome).toBe('spam');
  });

  it('holds a comment with a suspect word inside a compound', () => {
    const verdict = classify(candidate('Ich habe einen Sofortkredit bekommen, danke für den Tipp.'), {
      suspectWords: ['kredit'],
    });
    expect(verdict.outcome).toBe('hold');
    expect(verdict.reasons.find((r) => r.check === 'suspect-word')?.detail).toContain('"kredit"');
  });

  it('treats a form submitted within a second as spam-like', () => {
    const slow = classify(candidate('Thanks for sharing this.'));
    const fast = classify(candidate('Thanks for sharing this.', { renderedAt: now - 800 }));
    expect(fast.score).toBeGreaterThan(slow.score);
    expect(fast.reasons.some((r) => r.check === 'timing')).toBe(true);
  });

  it('counts links in the body against the site limit', () => {
    const verdict = classify(candidate('see http://a.example.com http://b.example.com http://c.example.com'), {
      maxLinks: 2,
    });
    expect(verdict.reasons.find((r) => r.check === 'links')?.detail).toBe('3 links in the body (limit 2).');
    expect(verdict.outcome).not.toBe('approve');
  });

  it('flags a punycode look-alike domain in the author url', () => {
    const verdict = classify(
      candidate('Nice post', { author: { name: 'Bob', url: 'https://xn--pypal-4ve.com/login' } }),
    );
    expect(verdict.reasons.some((r) => r.detail.includes('internationalized'))).toBe(true);
  });

  it('holds everything in pre mode and approves everything but spam in post mode', () => {
    const c = candidate('Great point about the caching layer, I ran into the same issue last year.');
    expect(classify(c, {}, 'pre').outcome).toBe('hold');
    expect(classify(c, {}, 'post').outcome).toBe('approve');
  });

  it('holds a first-time author when the site asks for it, and trusts an author with approved history', () => {
    const c = candidate('Great point about the caching layer.');
    const first = classifyComment(c, {
      settings: { holdFirstTimeAuthors: true },
      model,
      mode: 'auto',
      context: { authorHistory: { approved: 0, spam: 0, rejected: 0 } },
    });
    expect(first.outcome).toBe('hold');
    const known = classifyComment(c, {
      settings: { holdFirstTimeAuthors: true },
      model,
      mode: 'auto',
      context: { authorHistory: { approved: 4, spam: 0, rejected: 0 } },
    });
    expect(known.outcome).toBe('approve');
    expect(known.score).toBeLessThan(classify(c).score);
  });

  it('raises the score for duplicates and bursts from the worker context', () => {
    const c = candidate('Great point about the caching layer.');
    const plain = classify(c);
    const noisy = classifyComment(c, {
      settings: {},
      model,
      mode: 'auto',
      context: { recentDuplicates: 5, burst: { sameIp: 30, sameEmail: 12 } },
    });
    expect(noisy.score).toBeGreaterThan(plain.score);
    expect(noisy.outcome).toBe('spam');
  });

  it('explains itself: the classifier reason is a sentence and weights are rounded numbers', () => {
    const verdict = classify(candidate('Check out my channel and subscribe please!!! http://bit.ly/abc'));
    const reason = verdict.reasons.find((r) => r.check === 'classifier');
    expect(reason?.detail).toMatch(/^The text classifier rates it \d+% spam-like/);
    for (const r of verdict.reasons) expect(Number.isFinite(r.weight)).toBe(true);
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });

  it('keeps the score within [0, 1]', () => {
    for (const body of ['', 'a', '!!!!!!!!!!!!!!!!!!!!!!!!', 'x'.repeat(10_000)]) {
      const { score } = classify(candidate(body));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});

describe('lessonFor', () => {
  it('teaches ham when a held or spam comment is approved, spam when an approved or held one is marked spam', () => {
    expect(lessonFor('pending', 'approved')).toBe('ham');
    expect(lessonFor('spam', 'approved')).toBe('ham');
    expect(lessonFor('approved', 'spam')).toBe('spam');
    expect(lessonFor('pending', 'spam')).toBe('spam');
    expect(lessonFor('approved', 'pending')).toBeNull();
  });

  it('never sends a German reader comment with one ordinary link to spam', () => {
    const verdict = classify(
      candidate('Ein *schöner* Text mit [Link](https://anna.example)', {
        author: { name: 'Anna', email: 'anna@example.org' },
        renderedAt: now - 60_000,
      }),
    );
    expect(verdict.outcome).not.toBe('spam');
  });

  it('holds instead of spamming when only the text classifier is sure', () => {
    const verdict = classify(
      candidate(
        'Toller Beitrag! Besuchen Sie meinen Shop für günstige Kredite ohne Schufa, 100 % Zusage: www.kredit-billig-shop.de',
        {
          author: { name: 'Shop', url: 'https://kredit-billig-shop.de' },
        },
      ),
    );
    expect(verdict.score).toBeGreaterThanOrEqual(0.9);
    expect(verdict.outcome).toBe('hold');
    expect(verdict.reasons.some((r) => r.check === 'policy')).toBe(true);
  });

  it('sends the same offer to spam when hard evidence agrees (too-fast submit, shortened link)', () => {
    const fast = classify(
      candidate('Toller Beitrag! Günstige Kredite ohne Schufa, 100 % Zusage: www.kredit-billig-shop.de', {
        renderedAt: now - 900,
      }),
    );
    expect(fast.outcome).toBe('spam');
    const shortened = classify(
      candidate('Toller Beitrag! Günstige Kredite ohne Schufa, 100 % Zusage: https://bit.ly/kredit-jetzt'),
    );
    expect(shortened.outcome).toBe('spam');
  });

  it('lets the classifier alone decide only for English text at extreme confidence', () => {
    expect(looksEnglish('check out my channel and subscribe please'.split(' '))).toBe(true);
    expect(looksEnglish('schau dir meinen kanal an und abonniere ihn'.split(' '))).toBe(false);
  });

  it('explains German offers with concepts learned across languages', () => {
    const verdict = classify(
      candidate('Schaut euch meinen Kanal an, dort zeige ich, wie man von zu Hause Geld verdient!'),
    );
    expect(verdict.outcome).not.toBe('approve');
    expect(verdict.reasons.find((r) => r.check === 'classifier')?.detail).toMatch(
      /call to action|self-promotion|money/,
    );
  });
});
